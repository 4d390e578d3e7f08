// Rollout scope: namespaces named outright, plus namespace classes (named sets of patterns such
// as "team-*", "payments", "!kube-*"). A namespace is in a class when it matches one of the
// class's plain patterns (or the class has only "!" patterns) and none of its "!" patterns.
// An empty scope (no namespaces, no classes) is every namespace: "enforced everywhere".
import type { SqlParams } from "../queries/sqlParams";

export const NAMESPACE_PATTERN = /^!?[a-z0-9*?]([-a-z0-9.*?]{0,252})$/;
/** Wildcards (`*`, `?`) one pattern may hold: enough for any real naming scheme. */
export const MAX_PATTERN_WILDCARDS = 8;

/** Why a class pattern is refused (beyond NAMESPACE_PATTERN), or null. */
export function patternProblem(pattern: string): string | null {
  const wildcards = [...pattern].filter((c) => c === "*" || c === "?").length;
  return wildcards > MAX_PATTERN_WILDCARDS ? `at most ${MAX_PATTERN_WILDCARDS} wildcards (* or ?) per pattern` : null;
}

export interface NamespaceClassPatterns {
  name: string;
  patterns: string[];
}

export interface Scope {
  namespaces: string[];
  classes: NamespaceClassPatterns[];
}

function split(patterns: readonly string[]): { include: string[]; exclude: string[] } {
  return {
    include: patterns.filter((p) => !p.startsWith("!")),
    exclude: patterns.filter((p) => p.startsWith("!")).map((p) => p.slice(1)),
  };
}

/**
 * Whether `text` matches `glob` (`*` any run, `?` any one character, the rest literal). Never
 * backtracks: it walks the text once, keeping the set of pattern positions reached so far (an
 * NFA), so its cost is at most (text length + 1) x (glob length + 1) steps for any input, where a
 * regular expression like ^.*a.*a.*b$ takes exponential time. `steps` (optional) counts them.
 */
export function matchGlob(glob: string, text: string, steps?: { count: number }): boolean {
  const m = glob.length;
  // reached[j]: the first j pattern characters can match the text read so far.
  let reached = new Uint8Array(m + 1);
  const closeOverStars = (states: Uint8Array) => {
    for (let j = 0; j < m; j++) if (states[j] && glob[j] === "*") states[j + 1] = 1;
  };
  reached[0] = 1;
  closeOverStars(reached);
  for (const c of text) {
    const next = new Uint8Array(m + 1);
    let any = false;
    for (let j = 0; j < m; j++) {
      if (steps) steps.count++;
      if (!reached[j]) continue;
      const p = glob[j];
      if (p === "*") next[j] = 1; // the star takes this character and may take more
      else if (p === "?" || p === c) next[j + 1] = 1;
      else continue;
      any = true;
    }
    if (!any) return false;
    closeOverStars(next);
    reached = next;
  }
  return reached[m] === 1;
}

export function inClass(namespace: string, patterns: readonly string[]): boolean {
  const { include, exclude } = split(patterns);
  if (include.length > 0 && !include.some((p) => matchGlob(p, namespace))) return false;
  return !exclude.some((p) => matchGlob(p, namespace));
}

export function isWholeCluster(scope: Scope): boolean {
  return scope.namespaces.length === 0 && scope.classes.length === 0;
}

export function inScope(namespace: string, scope: Scope): boolean {
  if (isWholeCluster(scope)) return true;
  return scope.namespaces.includes(namespace) || scope.classes.some((c) => inClass(namespace, c.patterns));
}

/** A glob as a LIKE pattern: LIKE's own wildcards escaped, * -> %, ? -> _. */
function globToLike(glob: string): string {
  return glob.replace(/[\\%_]/g, "\\$&").replaceAll("*", "%").replaceAll("?", "_");
}

/** The scope as an SQL condition on a namespace column (allow-listed by the caller); values are parameters. */
export function scopeCondition(column: string, scope: Scope, params: SqlParams): string {
  if (isWholeCluster(scope)) return "TRUE";
  const parts: string[] = [];
  if (scope.namespaces.length > 0) parts.push(`${column} = ANY(${params.add(scope.namespaces)}::text[])`);
  for (const namespaceClass of scope.classes) {
    const { include, exclude } = split(namespaceClass.patterns);
    const conditions: string[] = [];
    if (include.length > 0) conditions.push(`${column} LIKE ANY(${params.add(include.map(globToLike))}::text[])`);
    if (exclude.length > 0) conditions.push(`NOT (${column} LIKE ANY(${params.add(exclude.map(globToLike))}::text[]))`);
    parts.push(conditions.length > 0 ? `(${conditions.join(" AND ")})` : "TRUE");
  }
  return `(${parts.join(" OR ")})`;
}

export function describeScope(scope: { namespaces: string[]; classes: string[] }): string {
  if (scope.namespaces.length === 0 && scope.classes.length === 0) return "every namespace";
  return [...scope.namespaces, ...scope.classes.map((c) => `class ${c}`)].join(", ");
}
