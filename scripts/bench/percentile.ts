// The bench scripts' percentile: nearest rank (the smallest value with at least p% of the values at
// or below it). Of 20 timings p95 is the 19th, not the slowest: one stall of a shared VM is a
// 1-in-20 event, and p100 is printed as max where it matters.

/** The p-th percentile of values sorted ascending (0 when there are none). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p * sorted.length) / 100);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? 0;
}
