// Time ranges and buckets for every drops read. Pure: "now" is always passed in.

/**
 * Bucket sizes a series may use. Each one divides a day, so its buckets are aligned to UTC
 * midnight, and each is tiled exactly by a stored rollup (see rollupFor): 10m, 15m and 30m by the
 * 5m rollup (per-path counts: by minutes), 2h, 3h, 6h and 12h by the hour rollup.
 */
export const STEPS = {
  "1m": 60,
  "5m": 300,
  "10m": 600,
  "15m": 900,
  "30m": 1_800,
  "1h": 3_600,
  "2h": 7_200,
  "3h": 10_800,
  "6h": 21_600,
  "12h": 43_200,
  "1d": 86_400,
} as const;
export type Step = keyof typeof STEPS;
export const STEP_NAMES = Object.keys(STEPS) as [Step, ...Step[]];

export const MAX_BUCKETS = 2_000;
export const DEFAULT_RANGE_MS = 24 * 3_600_000;
/** The longest range a read covers (rollups are kept 400 days by default). */
export const MAX_RANGE_DAYS = 400;
const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * The times a range may name: from the Unix epoch to the end of year 9999 (what ISO 8601's
 * four-digit years and the API accept). Outside it a Date may be finite yet break later
 * (`toISOString()` of year 275760 plus a day is an Invalid Date), so times are checked here.
 */
export const EARLIEST_TIME_MS = 0;
export const LATEST_TIME_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** A Date that is finite and within the span above. */
export function isSaneTime(time: Date): boolean {
  const ms = time.getTime();
  return Number.isFinite(ms) && ms >= EARLIEST_TIME_MS && ms <= LATEST_TIME_MS;
}

export interface TimeRange {
  from: Date;
  to: Date;
}

/** The step a chart of this range gets when none is asked for: a few hundred buckets at most. */
export function pickStep(range: TimeRange): Step {
  const ms = range.to.getTime() - range.from.getTime();
  if (ms <= 3 * HOUR_MS) return "1m";
  if (ms <= 24 * HOUR_MS) return "5m";
  if (ms <= 31 * 24 * HOUR_MS) return "1h";
  return "1d";
}

/** How many buckets a chart aims at: enough to see a burst, few enough to read (not a barcode). */
export const CHART_BUCKETS = 100;

/**
 * The step a chart of this range uses: the one whose bucket count is nearest CHART_BUCKETS (by
 * ratio), so 12 h is 72 buckets of 10 min, 24 h 96 of 15 min, 7 d 84 of 2 h, 30 d 120 of 6 h. Short ranges keep the
 * finest step there is (1 h is 60 buckets of a minute).
 */
export function chartStep(range: TimeRange): Step {
  const seconds = Math.max(1, (range.to.getTime() - range.from.getTime()) / 1000);
  let best: Step = "1m";
  let bestScore = Infinity;
  for (const step of STEP_NAMES) {
    const buckets = seconds / STEPS[step];
    const score = Math.abs(Math.log(Math.max(buckets, 1) / CHART_BUCKETS));
    if (score < bestScore - 1e-9 && Math.ceil(buckets) + 1 <= MAX_BUCKETS) {
      best = step;
      bestScore = score;
    }
  }
  return best;
}

/** The rollup granularities stored, finest first (the tables' suffixes: minute, 5m, hour, day). */
export const ROLLUP_GRANULARITIES = [
  { name: "minute", seconds: 60 },
  { name: "5m", seconds: 300 },
  { name: "hour", seconds: 3_600 },
  { name: "day", seconds: 86_400 },
] as const;
export type RollupGranularity = (typeof ROLLUP_GRANULARITIES)[number]["name"];

/** The coarsest stored granularity whose buckets tile the step exactly (fewest rows to read). */
export function rollupFor(step: Step, available: readonly RollupGranularity[] = ["minute", "5m", "hour", "day"]): RollupGranularity {
  const stepSeconds = STEPS[step];
  const fitting = ROLLUP_GRANULARITIES.filter((g) => available.includes(g.name) && stepSeconds % g.seconds === 0);
  return fitting[fitting.length - 1]?.name ?? "minute";
}

function floorTo(time: Date, ms: number): Date {
  return new Date(Math.floor(time.getTime() / ms) * ms);
}

function ceilTo(time: Date, ms: number): Date {
  return new Date(Math.ceil(time.getTime() / ms) * ms);
}

/** The range widened to whole buckets of the step (buckets are aligned to UTC). */
export function alignToStep(range: TimeRange, step: Step): TimeRange {
  const ms = STEPS[step] * 1000;
  const from = floorTo(range.from, ms);
  const to = ceilTo(range.to, ms);
  return { from, to: to.getTime() === from.getTime() ? new Date(from.getTime() + ms) : to };
}

export function bucketCount(range: TimeRange, step: Step): number {
  const aligned = alignToStep(range, step);
  return Math.round((aligned.to.getTime() - aligned.from.getTime()) / (STEPS[step] * 1000));
}

/** Every bucket start in the aligned range, so charts can show zeros instead of lying across gaps. */
export function bucketStarts(range: TimeRange, step: Step): Date[] {
  const aligned = alignToStep(range, step);
  const ms = STEPS[step] * 1000;
  const starts: Date[] = [];
  for (let t = aligned.from.getTime(); t < aligned.to.getTime(); t += ms) starts.push(new Date(t));
  return starts;
}

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

/** Relative ranges the time picker offers; they stay live ("last 1h" moves with now). */
export const RANGE_PRESETS = { "15m": 15 * MINUTE_MS, "1h": HOUR_MS, "6h": 6 * HOUR_MS, "24h": 24 * HOUR_MS, "7d": 7 * 24 * HOUR_MS, "30d": 30 * 24 * HOUR_MS } as const;
export type RangePreset = keyof typeof RANGE_PRESETS;
export const RANGE_PRESET_NAMES = Object.keys(RANGE_PRESETS) as [RangePreset, ...RangePreset[]];

/** A view's time range as the URL holds it: a live preset, or pinned absolute times. */
export interface RangeSelection {
  range: RangePreset;
  from: string | null;
  to: string | null;
}

/** A pinned time from the URL (ISO 8601), or null when it is not one (`'`, year 275760, ...). */
export function parsePinnedTime(text: string | null | undefined): Date | null {
  if (!text || text.length > 40) return null;
  const time = new Date(text);
  return isSaneTime(time) ? time : null;
}

/**
 * The pinned range of a selection: both times valid and `from` before `to`; null otherwise, and
 * the view shows its preset instead of failing on a bad link. (A range longer than the API reads,
 * MAX_RANGE_DAYS, stays pinned: the API's 400 says so.)
 */
export function pinnedRange(selection: Pick<RangeSelection, "from" | "to">): TimeRange | null {
  const from = parsePinnedTime(selection.from);
  const to = parsePinnedTime(selection.to);
  return from && to && from < to ? { from, to } : null;
}

/** The absolute range a selection means at `now`. A valid pinned range wins over the preset. */
export function resolveRange(selection: RangeSelection, now: Date): TimeRange {
  return pinnedRange(selection) ?? { from: new Date(now.getTime() - (RANGE_PRESETS[selection.range] ?? DEFAULT_RANGE_MS)), to: now };
}

/**
 * The one range every number on a page covers: whole buckets of the chart's step, so the series,
 * the tiles, the tables (counted by whole minutes) and the previous period (same length, just
 * before) read exactly the same span. A live preset ends with the bucket holding `now` (in
 * progress) and is exactly the preset long; a pinned range is widened to whole buckets.
 */
export interface ViewWindow extends TimeRange {
  step: Step;
  /** A live preset: the last bucket is still filling. */
  live: boolean;
}

export function viewWindow(selection: RangeSelection, now: Date): ViewWindow {
  const pinned = pinnedRange(selection);
  if (pinned) {
    const step = chartStep(pinned);
    return { ...alignToStep(pinned, step), step, live: false };
  }
  const length = RANGE_PRESETS[selection.range] ?? DEFAULT_RANGE_MS;
  const step = chartStep({ from: new Date(now.getTime() - length), to: now });
  const stepMs = STEPS[step] * 1000;
  // The bucket holding now ends the range (a whole number of steps long: every preset is).
  const to = new Date((Math.floor(now.getTime() / stepMs) + 1) * stepMs);
  return { from: new Date(to.getTime() - Math.ceil(length / stepMs) * stepMs), to, step, live: true };
}

/** The range of equal length just before, for "change vs previous period". */
export function previousRange(range: TimeRange): TimeRange {
  const length = range.to.getTime() - range.from.getTime();
  return { from: new Date(range.from.getTime() - length), to: range.from };
}
