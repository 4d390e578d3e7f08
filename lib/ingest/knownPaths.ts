// What this process has already written about drop paths, so a batch that brings nothing new
// about a path skips its upsert (most batches, in a steady stream). Rows in drop_paths only
// grow (first_seen earlier, last_seen later, more policies and reasons), so what we wrote is a
// lower bound of what is stored, and "covered by what we wrote" implies "covered by the row".
// Entries are recorded only after their transaction commits.

/** last_seen is refreshed when it moves this far; drop_paths' upsert uses the same rule. */
export const LAST_SEEN_RESOLUTION_MS = 30_000;
const MAX_ENTRIES = 50_000;

export interface PathFacts {
  first: number;
  last: number;
  policies: ReadonlySet<string>;
  reasons: ReadonlySet<string>;
}

const known = new Map<string, PathFacts>();

function covers(have: PathFacts, next: PathFacts): boolean {
  if (next.first < have.first || next.last >= have.last + LAST_SEEN_RESOLUTION_MS) return false;
  for (const policy of next.policies) if (!have.policies.has(policy)) return false;
  for (const reason of next.reasons) if (!have.reasons.has(reason)) return false;
  return true;
}

/** True when the path's stored row already says all that `facts` would add. */
export function isKnown(pathKey: string, facts: PathFacts): boolean {
  const have = known.get(pathKey);
  return have !== undefined && covers(have, facts);
}

/** Records facts written by a committed transaction. */
export function remember(pathKey: string, facts: PathFacts): void {
  const have = known.get(pathKey);
  known.delete(pathKey); // re-insert: Map order doubles as least-recently-written order
  known.set(
    pathKey,
    have
      ? {
          first: Math.min(have.first, facts.first),
          last: Math.max(have.last, facts.last),
          policies: new Set([...have.policies, ...facts.policies]),
          reasons: new Set([...have.reasons, ...facts.reasons]),
        }
      : facts,
  );
  if (known.size > MAX_ENTRIES) {
    const oldest = known.keys().next().value;
    if (oldest !== undefined) known.delete(oldest);
  }
}

/** For tests that replace the database under a running process. */
export function forgetKnownPaths(): void {
  known.clear();
}
