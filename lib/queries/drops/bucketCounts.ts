// Where drops series read their counts (the rollup that tiles the step, its columns and
// conditions), and the read of counts per bucket that the series and the "still audited" counts
// share. A chart's buckets are counted from namespace rollups; those of its finished hours are
// kept between calls (keptReads.ts): a dashboard polls every 30 s, and of a 24 h chart only its
// last hour and late arrivals change.
import { readKept, type CountSource } from "../keptReads";
import { readQuery } from "../readPool";
import { SqlParams } from "../sqlParams";
import { ROLLUP_GRANULARITIES, rollupFor, STEPS, type RollupGranularity, type Step, type TimeRange } from "../timeRange";
import { filterConditions, ROLLUP_COLUMNS, type DropFilters } from "./filters";
import { SERIES_GROUPS, type SeriesGroup } from "./seriesGroups";

const ROLLUP_SECONDS = Object.fromEntries(ROLLUP_GRANULARITIES.map((g) => [g.name, g.seconds])) as Record<RollupGranularity, number>;

/** A read of counts by bucket: filters, whole buckets of the step, and maybe one drop path (its id). */
export type BucketQuery = DropFilters & TimeRange & { step: Step; dropPath?: string };

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

/** Whether a series reads per-path rollups (one path, or policies, which are facts of paths). */
export const readsPaths = (query: DropFilters & { dropPath?: string }) => query.dropPath !== undefined || (query.policy?.length ?? 0) > 0;

/** What a series reads from, when not the step's live rollup view: a table and its bucket width. */
interface SourceTable {
  name: string;
  /** Its buckets' width (seconds): where it is the step's, rows are not binned. Absent for reads of totals (no buckets). */
  seconds?: number;
}

/**
 * The source, bucket and conditions of a series over `range` (already whole buckets of the step).
 * `table`: what to read instead of the step's live rollup view (a segment of a totals read; the
 * compacted or pending part of a kept read).
 */
export function seriesSource(
  query: BucketQuery,
  params: SqlParams,
  options: { bucketed?: boolean; table?: SourceTable } = {},
): SeriesSource {
  const stepSeconds = STEPS[query.step];
  const byPath = readsPaths(query);
  const granularity = stepGranularity(query);
  const table = options.table ?? { name: byPath ? `live_drop_path_${granularity}` : `live_drop_rollup_${granularity}`, seconds: ROLLUP_SECONDS[granularity] };
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
  const bucket = options.bucketed === false || table.seconds === stepSeconds ? bucketColumn : `date_bin(${params.add(`${stepSeconds} seconds`)}::interval, ${bucketColumn}, TIMESTAMPTZ 'epoch')`;
  return {
    source: byPath ? `${table.name} r JOIN drop_paths p ON p.cluster = r.cluster AND p.id = r.drop_path_id` : table.name,
    bucket,
    columns: { namespace: columns.namespace, cluster: columns.cluster, reason: columns.reason, verdict: columns.verdict, direction: columns.direction },
    conditions,
    count: byPath ? "r.count" : "count",
  };
}

/** The rollup granularity a step is read from. Per-path counts are kept by minute, hour and day; per-namespace ones by 5 minutes too. */
function stepGranularity(query: BucketQuery): RollupGranularity {
  return rollupFor(query.step, readsPaths(query) ? ["minute", "hour", "day"] : undefined);
}

/** Counts per bucket and per value of each selected group: `{ t, [alias]: value, count }`. */
export type BucketCountRow<Alias extends string> = { t: Date; count: number } & Record<Alias, string>;

/**
 * Counts per bucket of the step over `query`'s whole buckets, grouped by `select` (alias ->
 * group). Namespace rollups read by minute, 5 minutes or hour keep their finished hours between
 * calls (a kept read cuts at whole hours, which a day rollup's rows straddle); per-path reads
 * (one path, a policy filter) and day steps are read whole. The rows may be shared with later
 * calls: read only.
 */
export async function readBucketCounts<Alias extends string>(query: BucketQuery, select: Record<Alias, SeriesGroup>, now: Date): Promise<BucketCountRow<Alias>[]> {
  type Row = BucketCountRow<Alias>;
  const aliases = Object.keys(select) as Alias[];
  const granularity = stepGranularity(query);
  const sql = (part: TimeRange, source: CountSource) => {
    const params = new SqlParams();
    // Pending rows are minutes, as the live views bin them (parts start and end on whole buckets of the table).
    const table = source === "compacted" ? { name: `drop_rollup_${granularity}`, seconds: ROLLUP_SECONDS[granularity] } : source === "pending" ? { name: "drop_counts_pending", seconds: 60 } : undefined;
    const from = seriesSource({ ...query, ...part }, params, { table });
    // Aliases are this module's callers' names (key, cluster, namespace), never input.
    const groups = aliases.map((alias) => `${from.columns[select[alias]]} AS ${alias}`);
    return {
      sql: `SELECT ${from.bucket} AS t, ${groups.join(", ")}, sum(${from.count})::float8 AS count FROM ${from.source} WHERE ${from.conditions.join(" AND ")} GROUP BY ${groups.map((_, i) => i + 2).join(", ")}, 1`,
      values: params.values,
    };
  };
  if (readsPaths(query) || granularity === "day") {
    const { sql: text, values } = sql(query, "live");
    return (await readQuery<Row>(text, values)).rows;
  }
  return readKept<Row>(
    {
      identity: ["bucket counts", query.step, select, query.cluster, query.namespace, query.direction, query.verdict, query.reason],
      read: sql,
      keyOf: (row) => [row.t.getTime(), ...aliases.map((alias) => row[alias])].join("\u0000"),
      plus: (earlier, later) => ({ ...later, count: earlier.count + later.count }),
    },
    query,
    now,
  );
}
