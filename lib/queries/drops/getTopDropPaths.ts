// The most-dropped paths in a range, with exact counts, at any number of paths.
//
// Counting every path of the range and sorting them costs as much as the range holds paths: a port
// scan or a fresh default-deny on a big cluster makes 100k of them in a day. Instead only paths
// that could make the list are counted exactly, read in two orders that bound the rest:
//  - by all-time total (drop_paths.total bounds a path's count in any range) and last seen: the
//    answer's own order (count, last seen, id), so a scan of one drop per path stops at once;
//  - per hour or UTC day the range touches, by count then (drop_path_hour_total/_day_total): a
//    path not read has at most the sum of the last counts read, far tighter for short ranges.
// The batch grows until the Nth path found beats every path not read (a threshold algorithm).
// Counts still pending compaction are in neither order: their paths are always counted. The
// answer is the same as counting every path (getTopDropPaths.test.ts compares).
import { LAST_SEEN_RESOLUTION_MS } from "../../ingest/knownPaths";
import { readQuery } from "../readPool";
import { SqlParams } from "../sqlParams";
import type { TimeRange } from "../timeRange";
import { filterConditions, type DropFilters } from "./filters";
import { PATH_COUNT_COLUMNS, pathConditions, pathCountsSql, toDropPathRow, type DropPathCountsRow, type DropPathRow } from "./pathCounts";

export { PATH_COUNT_COLUMNS, pathCountsSql, toDropPathRow, type DropPathCountsRow, type DropPathRow } from "./pathCounts";

export interface TopDropPathsQuery extends DropFilters, TimeRange {
  limit: number;
  /** Free text matched against workload and namespace names (case-insensitive substring). */
  search?: string;
}

const ORDER = "c.count DESC, p.last_seen DESC, p.id, p.cluster";
/**
 * Paths counted in the first batch, per path asked for; each further batch is 4 times larger.
 * Hour lists (ranges of a few hours) bound loosely: their ragged ends are much of each listed
 * hour, so a first batch of 2 per path failed a 1 h range here and took two statements. Day
 * lists and totals settled 24 h to 30 d, and one namespace, at 2 per path, where 4 per path
 * counted twice the candidates (bench:queries, high-cardinality: 24 h 46 -> 29 ms).
 */
const FIRST_BATCH_PER_PATH = { hour: 4, day: 2 } as const;
const GROWTH = 4;
/** Past this many paths read in order (or rows read from the lists), counting every path is as cheap. */
const MAX_BATCH = 40_000;
const MAX_LISTED_ROWS = 80_000;
/** Ranges touching more days than this try the all-time totals alone first. */
const TOTALS_FIRST_OVER = 14;
/** A first try counts the lists' paths when they are at most this many per path of the batch; else totals alone. */
const LISTED_PATHS_PER_BATCH = 4;

/** Batch sizes; tests shrink them so that small data takes several batches. */
export interface BatchSizes {
  first: number;
  max: number;
}

export async function getTopDropPaths(query: TopDropPathsQuery, sizes?: BatchSizes): Promise<DropPathRow[]> {
  // A free-text search may match few paths anywhere in the order: count the range's paths instead.
  if (query.search) return countEveryPath(query);
  const lists = boundLists(query);
  const first = sizes?.first ?? Math.max(256, query.limit * FIRST_BATCH_PER_PATH[lists.granularity]);
  // Over many hours or days the lists hold a path once per bucket, and a range's long tail (one
  // drop each, as a scan leaves) fills them with paths of their own: thousands to count, where
  // all-time totals may settle the list alone. Over a month of days: try the totals alone first.
  // Shorter: the first try counts the lists' paths only when they are few (a failed try costs a
  // whole count of the batch's paths, and totals alone rarely settle a short range).
  if (lists.buckets.length > TOTALS_FIRST_OVER) {
    const answer = await countInOrder(query, first, NO_LISTS);
    if (answer) return answer;
  }
  const fits = (batch: number) => batch <= (sizes?.max ?? MAX_BATCH) && batch * lists.buckets.length <= MAX_LISTED_ROWS;
  for (let batch = first; fits(batch); batch *= GROWTH) {
    const spread = batch === first && lists.buckets.length > 2 && lists.buckets.length <= TOTALS_FIRST_OVER ? batch * LISTED_PATHS_PER_BATCH : undefined;
    const answer = await countInOrder(query, batch, lists, spread);
    if (answer) return answer;
  }
  return countEveryPath(query);
}

/** Hour lists bound ranges up to this many hours, day lists up to this many days; longer ones: totals. */
const MAX_LISTED_HOURS = 13;
const MAX_LISTED_DAYS = 35;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

interface BoundLists {
  granularity: "hour" | "day";
  buckets: Date[];
}
const NO_LISTS: BoundLists = { granularity: "day", buckets: [] };

/** The hours (or UTC days) [from, to) touches, whichever are fewer than their cap; else none. */
function boundLists(range: TimeRange): BoundLists {
  const touched = (ms: number) => {
    const buckets: Date[] = [];
    for (let t = Math.floor(range.from.getTime() / ms) * ms; t < range.to.getTime() && buckets.length <= MAX_LISTED_DAYS; t += ms) buckets.push(new Date(t));
    return buckets;
  };
  const hours = touched(HOUR_MS);
  if (hours.length <= MAX_LISTED_HOURS) return { granularity: "hour", buckets: hours };
  const days = touched(DAY_MS);
  return { granularity: "day", buckets: days.length <= MAX_LISTED_DAYS ? days : [] };
}

/** Every path of the range counted, then the top `limit` (what the bounded read must equal). */
export async function countEveryPath(query: TopDropPathsQuery): Promise<DropPathRow[]> {
  const params = new SqlParams();
  const counts = pathCountsSql(query, query, params);
  const conditions = pathConditions(query, params);
  const sql = `
    SELECT ${PATH_COUNT_COLUMNS}
    FROM (${counts}) c
    JOIN drop_paths p ON p.cluster = c.cluster AND p.id = c.drop_path_id
    ${conditions.length > 0 ? `WHERE ${conditions.join(" AND ")}` : ""}
    ORDER BY ${ORDER}
    LIMIT ${params.add(query.limit)}`;
  const { rows } = await readQuery<DropPathCountsRow>(sql, params.values);
  return rows.map((row) => toDropPathRow(row, query.from));
}

interface BoundedRow extends Partial<DropPathCountsRow> {
  /** Paths read in order (at most the batch). */
  read: number;
  /** What a path not read from the day lists can count at most; null: no lists read, or read and left out (too many paths, or no tighter than the totals). */
  day_bound: number | null;
  /** Whether this row ranks before every path not read: true on the last one it must be. */
  beats_unread: boolean | null;
}

/**
 * The top paths from the first `batch` paths in bound order plus every path with pending counts,
 * or null when a path not read could still make the list. One statement: one snapshot.
 * `maxListedPaths`: when the lists hold more distinct paths than this, they are left out (the
 * totals bound alone), decided inside the statement.
 */
export async function countInOrder(query: TopDropPathsQuery, batch: number, lists = boundLists(query), maxListedPaths?: number): Promise<DropPathRow[] | null> {
  const params = new SqlParams();
  const conditions = pathConditions(query, params);
  // last_seen is refreshed when it moves 30 s or more, so it may lag a path's last drop by that.
  const lastSeenFloor = new Date(query.from.getTime() - LAST_SEEN_RESOLUTION_MS);
  const pending = filterConditions(query, { cluster: "cluster", verdict: "verdict::text", reason: "reason" }, params);
  const listFilters = filterConditions(query, { cluster: "cluster", namespace: "namespace" }, params)
    .map((condition) => `AND ${condition}`)
    .join(" ");
  const sql = `
    WITH ordered AS (
      SELECT p.cluster, p.id, p.total, p.last_seen FROM drop_paths p
      WHERE p.last_seen >= ${params.add(lastSeenFloor)} AND p.first_seen < ${params.add(query.to)}
        ${conditions.map((condition) => `AND ${condition}`).join(" ")}
      ORDER BY p.total DESC, p.last_seen DESC, p.id, p.cluster
      LIMIT ${params.add(batch)}
    ),
    -- Each hour (or UTC day) the range touches: its paths by their count then. A path not read
    -- from a list has at most the last count read there (none when the list was read to its end).
    read_lists AS (
      SELECT d.day, t.cluster, t.drop_path_id AS id, t.count
      FROM unnest(${params.add(lists.buckets)}::timestamptz[]) AS d(day)
      CROSS JOIN LATERAL (
        SELECT cluster, drop_path_id, count FROM drop_path_${lists.granularity}_total
        WHERE bucket = d.day ${listFilters}
        ORDER BY count DESC LIMIT ${params.add(batch)}
      ) t
    ),
    -- The lists bound a path not read by the sum of their last counts (none for a list read to its
    -- end). They are worth counting only when the order was not read to its end and that bound is
    -- below the totals' (the last total read in order; a scan's count-1 paths tie in every list),
    -- or is 0: lists read to their end hold every path (a pending-only path's total is 0).
    list_bound AS (
      SELECT coalesce(sum(CASE WHEN n < ${params.add(batch)} THEN 0 ELSE low END), 0) AS bound
      FROM (SELECT day, count(*) AS n, min(count) AS low FROM read_lists GROUP BY day) per_day
    ),
    use_lists AS (
      SELECT ${maxListedPaths === undefined ? "true" : `count(*) <= ${params.add(maxListedPaths)}::int`}
        AND (SELECT count(*) FROM ordered) >= ${params.add(batch)}
        AND ((SELECT bound FROM list_bound) = 0 OR (SELECT bound FROM list_bound) < (SELECT min(total) FROM ordered)) AS yes
      FROM ${maxListedPaths === undefined ? "(SELECT 1) one" : "(SELECT DISTINCT cluster, id FROM read_lists) d"}
    ),
    listed AS (SELECT * FROM read_lists WHERE (SELECT yes FROM use_lists)),
    day_bound AS (
      SELECT CASE WHEN ${params.add(lists.buckets.length)}::int = 0 OR NOT (SELECT yes FROM use_lists) THEN NULL
                  ELSE (SELECT bound FROM list_bound) END AS bound
    ),
    candidates AS (
      SELECT cluster, id FROM ordered
      UNION
      SELECT cluster, id FROM listed
      UNION
      SELECT cluster, drop_path_id FROM drop_counts_pending
      WHERE bucket >= ${params.add(new Date(query.from.getTime() - 60_000))} AND bucket < ${params.add(query.to)}
        ${pending.map((condition) => `AND ${condition}`).join(" ")}
    ),
    last_read AS (
      SELECT (SELECT count(*) FROM ordered)::int AS read, o.total, o.last_seen, o.id, o.cluster
      FROM (SELECT 1) one LEFT JOIN (SELECT * FROM ordered ORDER BY total, last_seen, id DESC, cluster DESC LIMIT 1) o ON true
    ),
    top AS (
      SELECT ${PATH_COUNT_COLUMNS}, p.id AS path_id
      FROM (${pathCountsSql(query, query, params, "SELECT cluster, id FROM candidates")}) c
      -- One probe per counted path (OFFSET 0 keeps it so): the planner, guessing every listed
      -- row a path of its own, would otherwise scan every drop path to join a few hundred.
      CROSS JOIN LATERAL (SELECT * FROM drop_paths p WHERE p.cluster = c.cluster AND p.id = c.drop_path_id OFFSET 0) p
      ${conditions.length > 0 ? `WHERE ${conditions.join(" AND ")}` : ""}
      ORDER BY ${ORDER}
      LIMIT ${params.add(query.limit)}
    )
    SELECT t.id, t.cluster, t.namespace, t.direction, t.src_namespace, t.src_workload, t.dst_namespace, t.dst_workload,
      t.dst_port, t.protocol, t.count, t.dropped, t.audit, t.first_seen, t.last_seen, t.policies, t.reasons, b.read,
      d.bound::float8 AS day_bound,
      (t.count > d.bound OR t.count > b.total OR (t.count = b.total AND (t.last_seen > b.last_seen OR (t.last_seen = b.last_seen
        AND (t.path_id < b.id OR (t.path_id = b.id AND t.cluster = b.cluster)))))) AS beats_unread
    FROM last_read b CROSS JOIN day_bound d LEFT JOIN top t ON true
    ORDER BY t.count DESC, t.last_seen DESC, t.path_id, t.cluster`;
  const { rows } = await readQuery<BoundedRow>(sql, params.values);
  const found = rows.filter((row): row is BoundedRow & DropPathCountsRow => row.id !== null && row.id !== undefined);
  const read = rows[0]?.read ?? 0;
  // Every path that could be in the range was read (in bound order, or every day's list to its
  // end), or the last one the list needs beats every path not read.
  const complete =
    read < batch || rows[0]?.day_bound === 0 || (found.length === query.limit && found[found.length - 1]?.beats_unread === true);
  return complete ? found.map((row) => toDropPathRow(row, query.from)) : null;
}
