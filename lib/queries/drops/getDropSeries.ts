// Drops over time, grouped (by namespace, cluster, ...), from rollups: never a raw-event scan.
import { readQuery } from "../readPool";
import { SqlParams } from "../sqlParams";
import { alignToStep, bucketStarts, ROLLUP_GRANULARITIES, rollupFor, STEPS, type Step, type TimeRange } from "../timeRange";
import { filterConditions, ROLLUP_COLUMNS, type DropFilters } from "./filters";
import { OTHER_SERIES, SERIES_GROUPS, type SeriesGroup } from "./seriesGroups";

const ROLLUP_SECONDS = Object.fromEntries(ROLLUP_GRANULARITIES.map((g) => [g.name, g.seconds])) as Record<string, number>;

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

// Per-path rollups joined to their paths: for one path's series, and for the policy filter
// (policies are facts of paths, not of namespace rollups).
const PATH_SOURCE_COLUMNS = {
  cluster: "r.cluster",
  namespace: "p.namespace",
  direction: "p.direction::text",
  verdict: "r.verdict::text",
  reason: "r.reason",
  policy: "p.policies",
} as const;

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

/** Where a series reads from: the rollup (or per-path rollup) that tiles the step, and its conditions. */
export interface SeriesSource {
  /** FROM clause. */
  source: string;
  /** The bucket of each row, binned to the step (UTC-aligned). */
  bucket: string;
  /** Column expressions of this source (cluster, namespace, verdict, ...). */
  columns: Record<SeriesGroup, string>;
  /** WHERE conditions: the range, the filters, the path. */
  conditions: string[];
  /** The count column. */
  count: string;
}

/** The source, bucket and conditions of a series over `range` (already whole buckets of the step). */
export function seriesSource(query: DropFilters & TimeRange & { step: Step; dropPath?: string }, params: SqlParams, options: { bucketed?: boolean } = {}): SeriesSource {
  const stepSeconds = STEPS[query.step];
  const byPath = query.dropPath !== undefined || (query.policy?.length ?? 0) > 0;
  // Per-path counts are kept by minute, hour and day; per-namespace ones by 5 minutes too.
  const granularity = rollupFor(query.step, byPath ? ["minute", "hour", "day"] : undefined);
  const columns = byPath ? PATH_SOURCE_COLUMNS : SERIES_GROUPS;
  const bucketColumn = byPath ? "r.bucket" : "bucket";
  const conditions = [
    `${bucketColumn} >= ${params.add(query.from)}`,
    `${bucketColumn} < ${params.add(query.to)}`,
    ...filterConditions(query, byPath ? PATH_SOURCE_COLUMNS : ROLLUP_COLUMNS, params),
    ...(query.dropPath !== undefined ? [`r.drop_path_id = ${params.add(query.dropPath)}::bigint`] : []),
  ];
  // Where the table's buckets are the step's, they are the chart's; else they are binned (UTC-aligned).
  // A read of totals bins nothing: no unused parameter for its statement.
  const bucket = options.bucketed === false || ROLLUP_SECONDS[granularity] === stepSeconds ? bucketColumn : `date_bin(${params.add(`${stepSeconds} seconds`)}::interval, ${bucketColumn}, TIMESTAMPTZ 'epoch')`;
  return {
    source: byPath ? `live_drop_path_${granularity} r JOIN drop_paths p ON p.cluster = r.cluster AND p.id = r.drop_path_id` : `live_drop_rollup_${granularity}`,
    bucket,
    columns: { namespace: columns.namespace, cluster: columns.cluster, reason: columns.reason, verdict: columns.verdict, direction: columns.direction },
    conditions,
    count: byPath ? "r.count" : "count",
  };
}

export async function getDropSeries(query: DropSeriesQuery): Promise<DropSeriesResult> {
  const range = alignToStep(query, query.step);
  const params = new SqlParams();
  const from = seriesSource({ ...query, ...range }, params, { bucketed: !query.totalsOnly });
  if (query.totalsOnly) return getSeriesTotals(from, from.columns[query.groupBy], params, range, query.step, query.limit);
  const sql = `
    SELECT ${from.bucket} AS t, ${from.columns[query.groupBy]} AS key, sum(${from.count})::float8 AS count
    FROM ${from.source}
    WHERE ${from.conditions.join(" AND ")}
    GROUP BY 1, 2`;
  const { rows } = await readQuery<{ t: Date; key: string; count: number }>(sql, params.values);
  return shapeSeries(rows, range, query.step, query.limit);
}

async function getSeriesTotals(from: SeriesSource, key: string, params: SqlParams, range: TimeRange, step: Step, limit: number): Promise<DropSeriesResult> {
  const sql = `
    SELECT ${key} AS key, sum(${from.count})::float8 AS count
    FROM ${from.source}
    WHERE ${from.conditions.join(" AND ")}
    GROUP BY 1`;
  const { rows } = await readQuery<{ key: string; count: number }>(sql, params.values);
  return shapeTotals(rows, range, step, limit);
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
    points: starts.map((start, i) => ({ t: start.toISOString(), count: counts[i] ?? 0 })),
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
