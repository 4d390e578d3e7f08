// Drops over time, grouped (by namespace, cluster, ...), from rollups: never a raw-event scan.
import { readQuery } from "../readPool";
import { SqlParams } from "../sqlParams";
import { alignToStep, bucketStarts, NAMESPACE_ROLLUPS, PATH_ROLLUPS, rollupReads, type Step, type TimeRange } from "../timeRange";
import { readBucketCounts, readsPaths, seriesSource } from "./bucketCounts";
import type { DropFilters } from "./filters";
import { OTHER_SERIES, type SeriesGroup } from "./seriesGroups";

export { OTHER_SERIES, SERIES_GROUP_NAMES, type SeriesGroup } from "./seriesGroups";

export interface DropSeriesQuery extends DropFilters, TimeRange {
  step: Step;
  groupBy: SeriesGroup;
  /** How many series to keep before the rest are summed into one `other` series. */
  limit: number;
  /** One drop path's drops only (its id): read from the per-path rollups. */
  dropPath?: string;
  /** Each series' total only (points empty): one row per group to read, not one per group and bucket. */
  totalsOnly?: boolean;
}

export interface SeriesPoint {
  t: string;
  count: number;
}

export interface DropSeries {
  /** The group's value (a namespace, cluster, ...); OTHER_SERIES's label for the summed rest. */
  key: string;
  /**
   * True only on the synthetic series that sums the groups past `limit`. A real group may be
   * named "(other)" too (sources can send any name): it is a series of its own, never merged.
   */
  other?: true;
  total: number;
  points: SeriesPoint[];
}

export interface DropSeriesResult {
  step: Step;
  from: string;
  to: string;
  total: number;
  series: DropSeries[];
}

export async function getDropSeries(query: DropSeriesQuery, now: Date = new Date()): Promise<DropSeriesResult> {
  const range = alignToStep(query, query.step);
  if (query.totalsOnly) return getSeriesTotals(query, range);
  const rows = await readBucketCounts({ ...query, ...range }, { key: query.groupBy }, now);
  return shapeSeries(rows, range, query.step, query.limit);
}

/**
 * Each group's total over the range, read from the coarsest rollups that tile it (whole days by
 * day, whole hours by hour, the ends by 5 minutes or minute): totals need no buckets, and a day
 * of hours is a twelfth of its 5-minute rows.
 */
async function getSeriesTotals(query: DropSeriesQuery, range: TimeRange): Promise<DropSeriesResult> {
  const params = new SqlParams();
  const reads = rollupReads(range, readsPaths(query) ? PATH_ROLLUPS : NAMESPACE_ROLLUPS).map(({ table, segment }) => {
    const from = seriesSource({ ...query, ...segment }, params, { bucketed: false, table: { name: table } });
    return `SELECT ${from.columns[query.groupBy]} AS key, ${from.count} AS count FROM ${from.source} WHERE ${from.conditions.join(" AND ")}`;
  });
  const sql = `
    SELECT key, sum(count)::float8 AS count
    FROM (${reads.join(" UNION ALL ")}) segments
    GROUP BY 1`;
  const { rows } = await readQuery<{ key: string; count: number }>(sql, params.values);
  return shapeTotals(rows, range, query.step, query.limit);
}

/** Top `limit` keys by total, the rest summed into one `other` series, every bucket present. Pure. */
export function shapeSeries(
  rows: readonly { t: Date; key: string; count: number }[],
  range: TimeRange,
  step: Step,
  limit: number,
): DropSeriesResult {
  const totals = new Map<string, number>();
  for (const row of rows) totals.set(row.key, (totals.get(row.key) ?? 0) + row.count);
  const ranked = [...totals.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const kept = ranked.slice(0, limit).map(([key]) => key);
  const starts = bucketStarts(range, step);
  const index = new Map(starts.map((start, i) => [start.getTime(), i]));
  // Each bucket's time written once, not once per series (30 days by hour: 720 buckets, 9 series).
  const times = starts.map((start) => start.toISOString());
  const zeros = () => new Array<number>(starts.length).fill(0);

  // Kept groups by their real key; the rest in a separate array, so no group's name (not even
  // "(other)") can merge with the synthetic series or be counted twice.
  const byKey = new Map<string, number[]>(kept.map((key) => [key, zeros()]));
  let rest: number[] | null = null;
  for (const row of rows) {
    const counts = byKey.get(row.key) ?? (rest ??= zeros());
    const i = index.get(row.t.getTime());
    if (i !== undefined) counts[i] = (counts[i] ?? 0) + row.count;
  }
  const toSeries = (key: string, counts: number[]) => ({
    key,
    total: counts.reduce((sum, c) => sum + c, 0),
    points: times.map((t, i) => ({ t, count: counts[i] ?? 0 })),
  });
  const series: DropSeries[] = [
    ...kept.map((key) => toSeries(key, byKey.get(key) ?? [])),
    ...(rest ? [{ ...toSeries(OTHER_SERIES, rest), other: true as const }] : []),
  ];
  return {
    step,
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    total: series.reduce((sum, s) => sum + s.total, 0),
    series,
  };
}

/** As shapeSeries, totals only: the same top `limit` keys, the rest summed into `other`, no points. Pure. */
export function shapeTotals(rows: readonly { key: string; count: number }[], range: TimeRange, step: Step, limit: number): DropSeriesResult {
  const ranked = [...rows].sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
  const rest = ranked.slice(limit).reduce((sum, row) => sum + row.count, 0);
  const series: DropSeries[] = [
    ...ranked.slice(0, limit).map((row) => ({ key: row.key, total: row.count, points: [] })),
    ...(ranked.length > limit ? [{ key: OTHER_SERIES, other: true as const, total: rest, points: [] }] : []),
  ];
  return { step, from: range.from.toISOString(), to: range.to.toISOString(), total: series.reduce((sum, s) => sum + s.total, 0), series };
}
