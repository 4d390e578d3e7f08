// Shared pieces of the fuzz/property tests (*.fuzz.test.ts): hostile values by type, mutations of
// real records, and the one fixed seed every suite runs with, so a failure is the same on every run.
import fc from "fast-check";

/** Every fuzz suite runs with this seed; a counterexample fast-check prints replays with it. */
export const FUZZ_SEED = 20261128;

/** fast-check prints counterexamples recursively: a deep value describes itself instead. */
const labelled = <T extends object>(value: T, label: string): T => Object.defineProperty(value, fc.toStringMethod, { value: () => label });

/** Deeper than String() and JSON.stringify() can walk (they overflow near 4,000 on Node's default stack); a 40 KB line holds it. */
const DEPTH = 20_000;

/** The JSON text of each deep value, for jsonText (JSON.stringify cannot write them). */
const deepTexts = new WeakMap<object, string>();

/** What JSON.parse makes of `[[[...]]]` (built in a loop: parsing the text costs eight times as much). */
export function deepArray(depth = DEPTH): unknown {
  let value: unknown[] = [];
  for (let i = 1; i < depth; i++) value = [value];
  deepTexts.set(value, `${"[".repeat(depth)}${"]".repeat(depth)}`);
  return labelled(value, `(arrays nested ${depth} deep)`);
}

/** What JSON.parse makes of `{"a":{"a":...1}}`. */
export function deepObject(depth = DEPTH): unknown {
  let value: Record<string, unknown> = { a: 1 };
  for (let i = 1; i < depth; i++) value = { a: value };
  deepTexts.set(value, `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`);
  return labelled(value, `(objects nested ${depth} deep)`);
}

/** JSON.stringify that also writes the deep values above (as a client would send them); "null" for undefined. */
export function jsonText(value: unknown): string {
  const deep: string[] = [];
  const text =
    JSON.stringify(value, (_key, item: unknown) => {
      const known = typeof item === "object" && item !== null ? deepTexts.get(item) : undefined;
      if (known === undefined) return item;
      deep.push(known);
      return `\u0001deep${deep.length - 1}\u0001`;
    }) ?? "null";
  return deep.length === 0 ? text : text.replace(/"\\u0001deep(\d+)\\u0001"/g, (_match, i: string) => deep[Number(i)] ?? "null");
}

/**
 * Values nested past any recursive walk's stack (String(), JSON.stringify() and recursive descent throw
 * RangeError), made fresh each time: a later mutation may edit inside a value an earlier one set
 * (mutate walks into it), so a value shared between tests would not stay deep.
 */
export const deepValues = (): unknown[] => [deepArray(), deepObject()];

/** Strings that have broken parsers and databases before: NUL (PostgreSQL text), separators, line breaks, long runs. */
export const NASTY_STRINGS: readonly string[] = [
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "\u001f",
  "a\u001fb",
  "\u2028",
  "\u2029",
  "\r\n\t\b\f\v\u0007\u001b",
  "\\",
  '"',
  "\ud800",
  "\udfff\ud800",
  "\ufeff",
  "\u200b",
  "(other)",
  "(none)",
  "t",
  "__proto__",
  "constructor",
  "toString",
  "NaN",
  "Infinity",
  "-Infinity",
  "-1",
  "-0",
  "0",
  "1e300",
  "9e15",
  "9999999999999999999",
  "0x7f000001",
  "null",
  "true",
  "DROPPED",
  "AUDIT",
  "deny",
  "Deny",
  "INGRESS",
  "EGRESS",
  "1970-01-01T00:00:00Z",
  "9999-12-31T23:59:59Z",
  "+275760-09-13T00:00:00.000Z",
  "2026-02-30T00:00:00Z",
  "2026-11-28T10:00:00",
  "12/01/2026",
  "%00",
  "'; DROP TABLE drop_paths; --",
  "{}",
  "[]",
  "a|b|c|deny|-1",
  "0|default|ns/default.x|deny|-1",
  // Long runs: quadratic regular expressions show up here (a split on /\s*\|\s*/ takes seconds).
  " ".repeat(20_000),
  "\t".repeat(20_000),
  "a".repeat(20_000),
  "1".repeat(20_000),
  "-".repeat(20_000),
  "a-".repeat(10_000),
  ",".repeat(20_000),
  "|".repeat(20_000),
  `a${" ".repeat(20_000)}b`,
  "x".repeat(254),
  "x".repeat(321),
];

/** Numbers JSON can carry that break naive code: huge, negative, fractional, out of Date's range, Infinity (JSON.parse("1e400")). */
export const NASTY_NUMBERS: readonly number[] = [
  0,
  -0,
  -1,
  1,
  0.5,
  -0.5,
  1e300,
  -1e300,
  9e12,
  9e15,
  8.64e15,
  8.64e15 + 1,
  2 ** 31,
  2 ** 32,
  2 ** 53,
  2 ** 63,
  2 ** 64,
  65535,
  65536,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  Number.MAX_SAFE_INTEGER,
  Infinity,
  -Infinity,
];

const jsonLeaf: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_NUMBERS) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom("a", " ", "|", ",", "-", "/", "*", ".", "0", "\u0000", "\u001f"), maxLength: 60 }) },
  { weight: 2, arbitrary: fc.double({ noNaN: true }) },
  { weight: 2, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.constantFrom(true, false, null) },
);

/** Any value JSON.parse can return, biased to what breaks parsers; sometimes nested past every stack. */
export const hostileJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 8, arbitrary: jsonLeaf },
  { weight: 2, arbitrary: fc.array(jsonLeaf, { maxLength: 4 }) },
  { weight: 2, arbitrary: fc.dictionary(fc.constantFrom("name", "type", "kind", "action", "namespace", "0", "__proto__"), jsonLeaf, { maxKeys: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom(deepArray, deepObject).map((make) => make()) },
);

/** One change to a record: set a field (at any depth) to a hostile value, delete it, or wrap it in an array. */
export type Mutation = { at: number; op: "set"; value: unknown } | { at: number; op: "delete" } | { at: number; op: "wrap" };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ at: fc.nat(), op: fc.constant("set" as const), value: hostileJson }) },
  { weight: 2, arbitrary: fc.record({ at: fc.nat(), op: fc.constant("delete" as const) }) },
  { weight: 1, arbitrary: fc.record({ at: fc.nat(), op: fc.constant("wrap" as const) }) },
);

type Container = Record<string, unknown> | unknown[];
const isContainer = (value: unknown): value is Container => typeof value === "object" && value !== null;

/** Every (container, key) in a record, depth first: the places a mutation can hit. */
function places(root: Container): [Container, string][] {
  const found: [Container, string][] = [];
  const walk = (node: Container, depth: number) => {
    for (const key of Object.keys(node)) {
      found.push([node, key]);
      const child = (node as Record<string, unknown>)[key];
      if (isContainer(child) && depth < 12) walk(child, depth + 1);
    }
  };
  walk(root, 0);
  return found;
}

/** A copy of `record` with the mutations applied in order (each picks a place by index, modulo how many there are). */
export function mutate<T extends Container>(record: T, mutations: readonly Mutation[]): T {
  const copy = structuredClone(record);
  for (const m of mutations) {
    const all = places(copy);
    if (all.length === 0) break;
    const [node, key] = all[m.at % all.length] as [Container, string];
    const target = node as Record<string, unknown>;
    if (m.op === "set") target[key] = m.value;
    else if (m.op === "wrap") target[key] = [target[key]];
    else if (Array.isArray(node)) node.splice(Number(key), 1);
    else delete target[key];
  }
  return copy;
}

/** A copy of a value cut at `depth` levels and long strings cut short, for messages. */
function outline(value: unknown, depth: number): unknown {
  if (typeof value === "string") return value.length > 80 ? `${value.slice(0, 40)}…(${value.length} chars)` : value;
  if (typeof value !== "object" || value === null) return value;
  if (depth === 0) return Array.isArray(value) ? "[…]" : "{…}";
  if (Array.isArray(value)) return value.slice(0, 20).map((item) => outline(item, depth - 1));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, outline(item, depth - 1)]));
}

/** A value for an assertion message: some are megabytes long, or nested 20,000 deep. */
export function shown(value: unknown): string {
  const text = JSON.stringify(outline(value, 6)) ?? String(value);
  return text.length > 1500 ? `${text.slice(0, 1500)}…` : text;
}
