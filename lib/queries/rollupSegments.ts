// How counts over any range are read exactly and cheaply from rollups: whole days from day rows,
// whole hours from hour rows, the ragged ends from 5-minute or minute rows (or, for reads of few
// paths, a ragged end as its whole day less what lies outside the range).
import { ceilTo, floorTo, type TimeRange } from "./timeRange";

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export interface RollupSegments {
  /** Ranges read from minute rollups: the ragged minutes at either end. */
  minute: TimeRange[];
  /** Whole hours not inside whole days, read from hour rollups. */
  hour: TimeRange[];
  /** Whole UTC days, read from day rollups. */
  day: TimeRange | null;
}

/**
 * Splits a range (widened to whole minutes) so counts over it are exact yet cheap: whole days
 * from day rollups, whole hours around them from hour rollups, the ragged ends from minute rollups.
 */
export function rollupSegments(range: TimeRange): RollupSegments {
  const from = floorTo(range.from, MINUTE_MS);
  const to = ceilTo(range.to, MINUTE_MS);
  const segments: RollupSegments = { minute: [], hour: [], day: null };
  const firstHour = ceilTo(from, HOUR_MS);
  const lastHour = floorTo(to, HOUR_MS);
  if (firstHour.getTime() >= lastHour.getTime()) {
    segments.minute.push({ from, to });
    return segments;
  }
  if (from < firstHour) segments.minute.push({ from, to: firstHour });
  if (lastHour < to) segments.minute.push({ from: lastHour, to });
  const firstDay = ceilTo(firstHour, DAY_MS);
  const lastDay = floorTo(lastHour, DAY_MS);
  if (firstDay.getTime() >= lastDay.getTime()) {
    segments.hour.push({ from: firstHour, to: lastHour });
    return segments;
  }
  if (firstHour < firstDay) segments.hour.push({ from: firstHour, to: firstDay });
  if (lastDay < lastHour) segments.hour.push({ from: lastDay, to: lastHour });
  segments.day = { from: firstDay, to: lastDay };
  return segments;
}

/** Rollup views of one kind by granularity (allow-listed names, never input). */
export interface RollupTables {
  minute: string;
  /** Where there is one (namespace rollups): whole 5 minutes of the ragged ends are read from it. */
  fiveMinute?: string;
  hour: string;
  day: string;
}

export const NAMESPACE_ROLLUPS: RollupTables = { minute: "live_drop_rollup_minute", fiveMinute: "live_drop_rollup_5m", hour: "live_drop_rollup_hour", day: "live_drop_rollup_day" };
export const PATH_ROLLUPS: RollupTables = { minute: "live_drop_path_minute", hour: "live_drop_path_hour", day: "live_drop_path_day" };

const FIVE_MINUTES_MS = 5 * MINUTE_MS;

/** A ragged end (whole minutes): its whole 5 minutes from the 5-minute table, the rest by minute. */
function raggedReads(segment: TimeRange, tables: RollupTables): { table: string; segment: TimeRange }[] {
  const first = ceilTo(segment.from, FIVE_MINUTES_MS);
  const last = floorTo(segment.to, FIVE_MINUTES_MS);
  if (!tables.fiveMinute || first.getTime() >= last.getTime()) return [{ table: tables.minute, segment }];
  return [
    ...(segment.from < first ? [{ table: tables.minute, segment: { from: segment.from, to: first } }] : []),
    { table: tables.fiveMinute, segment: { from: first, to: last } },
    ...(last < segment.to ? [{ table: tables.minute, segment: { from: last, to: segment.to } }] : []),
  ];
}

/** The reads that count a range exactly: each of its segments with the rollup view that holds it. */
export function rollupReads(range: TimeRange, tables: RollupTables): { table: string; segment: TimeRange }[] {
  const segments = rollupSegments(range);
  return [
    ...segments.minute.flatMap((segment) => raggedReads(segment, tables)),
    ...segments.hour.map((segment) => ({ table: tables.hour, segment })),
    ...(segments.day ? [{ table: tables.day, segment: segments.day }] : []),
  ];
}

/** A read of a rollup segment whose counts are added (+1) or taken away (-1). */
export interface SignedRollupRead {
  table: string;
  segment: TimeRange;
  sign: 1 | -1;
}

/** Cost of a segment read per path, in hour-row probes: a minute segment is scanned whole (every path in it). */
const MINUTE_COST = 0.3;
const readCost = (reads: readonly SignedRollupRead[], tables: RollupTables) =>
  reads.reduce((cost, { table, segment }) => cost + (table === tables.minute ? MINUTE_COST * ((segment.to.getTime() - segment.from.getTime()) / MINUTE_MS) : table === tables.hour ? (segment.to.getTime() - segment.from.getTime()) / HOUR_MS : 1), 0);

const plus = (table: string, from: Date, to: Date): SignedRollupRead[] => (from < to ? [{ table, segment: { from, to }, sign: 1 }] : []);
const minus = (table: string, from: Date, to: Date): SignedRollupRead[] => (from < to ? [{ table, segment: { from, to }, sign: -1 }] : []);

/**
 * As rollupReads, for reads of few paths by their per-path indexes (one row per path and bucket):
 * a ragged end of up to 23 hours and 59 minutes is read, when it is cheaper, as its whole UTC day
 * less the hours and minutes of that day outside the range (sums are exact either way: every
 * rollup holds the same counts, whole days of them, rollups and retention alike). A 24 h window
 * from 03:30 reads one day row, 3 hours and 30 minutes to take away, instead of 20 hours and 30 minutes.
 */
export function signedRollupReads(range: TimeRange, tables: RollupTables): SignedRollupRead[] {
  const additive = rollupReads(range, tables).map((read): SignedRollupRead => ({ ...read, sign: 1 }));
  const from = floorTo(range.from, MINUTE_MS);
  const to = ceilTo(range.to, MINUTE_MS);
  const firstDay = ceilTo(from, DAY_MS);
  const lastDay = floorTo(to, DAY_MS);
  // Only a range that crosses midnight has ends inside days of their own.
  if (firstDay.getTime() > lastDay.getTime()) return additive;
  const lead = (subtract: boolean): SignedRollupRead[] => {
    const hour = floorTo(from, HOUR_MS);
    if (!subtract) return [...plus(tables.minute, from, ceilTo(from, HOUR_MS)), ...plus(tables.hour, ceilTo(from, HOUR_MS), firstDay)];
    const dayStart = new Date(firstDay.getTime() - DAY_MS);
    return [...plus(tables.day, dayStart, firstDay), ...minus(tables.hour, dayStart, hour), ...minus(tables.minute, hour, from)];
  };
  const trail = (subtract: boolean): SignedRollupRead[] => {
    const hour = ceilTo(to, HOUR_MS);
    if (!subtract) return [...plus(tables.hour, lastDay, floorTo(to, HOUR_MS)), ...plus(tables.minute, floorTo(to, HOUR_MS), to)];
    const dayEnd = new Date(lastDay.getTime() + DAY_MS);
    return [...plus(tables.day, lastDay, dayEnd), ...minus(tables.minute, to, hour), ...minus(tables.hour, hour, dayEnd)];
  };
  const cheaper = (choose: (subtract: boolean) => SignedRollupRead[]) => {
    const [added, taken] = [choose(false), choose(true)];
    return readCost(taken, tables) < readCost(added, tables) ? taken : added;
  };
  return [...cheaper(lead), ...plus(tables.day, firstDay, lastDay), ...cheaper(trail)];
}
