// Drop path ids are PostgreSQL bigints, shown as decimal text: 1 to 19 digits, at most int64's max.
// Checked before any `::bigint` cast, which fails (a 500) on a larger number.
const INT64_MAX = 9_223_372_036_854_775_807n;

export function isDropPathId(text: string): boolean {
  return /^\d{1,19}$/.test(text) && BigInt(text) <= INT64_MAX;
}
