// Pure helpers of the drops chart: the "AUDIT after enforcement" split, round time ticks, and
// where stage labels go so they never overlap.
import type { DropSeries, DropSeriesResult } from "@/lib/queries/drops/getDropSeries";
import type { StillAuditedResult } from "@/lib/queries/drops/getStillAudited";

export interface ChartSeries extends DropSeries {
  /** AUDIT drops where a rollout stage enforces (drawn hatched). */
  stillAudited?: true;
}

export interface ChartResult extends Omit<DropSeriesResult, "series"> {
  series: ChartSeries[];
}

export const STILL_AUDITED_LABEL = "AUDIT after enforcement";

/**
 * A by-verdict result with AUDIT split in two: AUDIT drops where a rollout enforces (after its
 * grace period) become their own series, stacked on the rest of AUDIT. Totals stay exact (a
 * bucket's split never exceeds its AUDIT count). Unchanged unless both cover the same buckets.
 */
export function withStillAudited(result: DropSeriesResult, still: StillAuditedResult | undefined): ChartResult {
  if (!still || still.total === 0 || still.step !== result.step || still.from !== result.from || still.to !== result.to) return result;
  const index = result.series.findIndex((s) => s.key === "AUDIT" && !s.other);
  const audit = result.series[index];
  if (!audit) return result;
  const split = audit.points.map((point, i) => Math.min(point.count, still.points[i]?.count ?? 0));
  const total = split.reduce((sum, c) => sum + c, 0);
  if (total === 0) return result;
  const rest: ChartSeries = { key: audit.key, total: audit.total - total, points: audit.points.map((p, i) => ({ t: p.t, count: p.count - (split[i] ?? 0) })) };
  const after: ChartSeries = { key: STILL_AUDITED_LABEL, stillAudited: true, total, points: audit.points.map((p, i) => ({ t: p.t, count: split[i] ?? 0 })) };
  return { ...result, series: [...result.series.slice(0, index), rest, after, ...result.series.slice(index + 1)] };
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const TICK_STEPS = [MINUTE, 2 * MINUTE, 5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 3 * DAY, 7 * DAY, 14 * DAY, 28 * DAY, 91 * DAY];

/** Ticks on round UTC times (whole hours, midnights, ...): at most `count` of them in [from, to]. */
export function timeTicks(from: number, to: number, count: number): { ticks: number[]; every: number } {
  const span = Math.max(1, to - from);
  const every = TICK_STEPS.find((step) => span / step <= Math.max(1, count)) ?? TICK_STEPS[TICK_STEPS.length - 1] ?? DAY;
  const ticks: number[] = [];
  for (let t = Math.ceil(from / every) * every; t <= to; t += every) ticks.push(t);
  return { ticks, every };
}

/** Round count ticks from 0 to at least `max`: steps of 1, 2, 2.5 or 5 times a power of ten (whole numbers). */
export function countTicks(max: number, count = 4): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(1, ([1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw && Number.isInteger(s)) ?? 10 * power));
  const top = Math.ceil(max / step) * step;
  const ticks: number[] = [];
  for (let t = 0; t <= top + step / 2; t += step) ticks.push(t);
  return ticks;
}

/** A tick's text: the time of day, or the date at midnights and on day ticks ("06-02"). */
export function tickText(t: number, every: number): string {
  const iso = new Date(t).toISOString();
  const midnight = t % DAY === 0;
  return every >= DAY || (midnight && every >= HOUR) ? iso.slice(5, 10) : iso.slice(11, 16);
}

export interface LabelPlacement {
  /** Row from the top (0, 1, 2); null: no room, the line is drawn unlabelled. */
  row: number | null;
  /** Drawn to the left of the line (near the right edge). */
  left: boolean;
}

/**
 * Where each stage label goes: to the right of its line, or to its left near the right edge, in
 * the first of `rows` rows where it overlaps no other label; unlabelled when none has room (the
 * list under the chart names every transition). `xs` are pixel positions, `widths` the labels'.
 */
export function placeLabels(xs: readonly number[], widths: readonly number[], right: number, rows = 3, gap = 4): LabelPlacement[] {
  const order = xs.map((x, i) => ({ x, i })).sort((a, b) => a.x - b.x || a.i - b.i);
  const taken: [number, number][][] = Array.from({ length: rows }, () => []);
  const placements: LabelPlacement[] = xs.map(() => ({ row: null, left: false }));
  for (const { x, i } of order) {
    const width = widths[i] ?? 0;
    const left = x + 3 + width > right;
    const extent: [number, number] = left ? [x - 3 - width, x] : [x, x + 3 + width];
    const row = taken.findIndex((spans) => spans.every(([a, b]) => extent[1] + gap <= a || extent[0] >= b + gap));
    if (row >= 0) {
      taken[row]?.push(extent);
      placements[i] = { row, left };
    }
  }
  return placements;
}

/** The label a series shows: the summed rest is told apart from a real group named "(other)". */
export function seriesLabel(series: ChartSeries): string {
  return series.other ? "all others (summed)" : series.key;
}
