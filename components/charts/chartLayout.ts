// The drops chart's layout, shared by the Recharts chart and its static first picture
// (StaticDropsChart) so both draw the same thing in the same place.
import type { ChartResult } from "./chartData";

export const CHART_MARGIN = { top: 8, right: 12, bottom: 4, left: 8 };
export const Y_AXIS_WIDTH = 64;
/** Recharts' default x-axis height. */
export const X_AXIS_HEIGHT = 30;
/** About one time tick per this many pixels of plot. */
export const X_TICK_SPACING = 64;

/** How many time ticks a plot this wide gets. */
export const xTickCount = (plotWidth: number) => Math.max(3, Math.min(10, Math.floor(plotWidth / X_TICK_SPACING)));

export type ChartRow = { t: number } & Record<string, number>;

export const dataKey = (i: number) => `s${i}`;

/** One row per bucket (series by index: s0, s1, ...), plus a closing point so the newest bucket has width in a step chart. */
export function chartRows(result: ChartResult, stepMs: number): ChartRow[] {
  const first = result.series[0];
  if (!first) return [];
  const buckets = first.points.map((point, i) => {
    const row: ChartRow = { t: new Date(point.t).getTime() };
    result.series.forEach((s, j) => (row[dataKey(j)] = s.points[i]?.count ?? 0));
    return row;
  });
  const last = buckets.at(-1);
  return last ? [...buckets, { ...last, t: last.t + stepMs }] : buckets;
}

/**
 * Each series' band of the stack as an SVG path, drawn as Recharts draws a stacked `stepAfter`
 * area: bucket i spans from its time to the next one's, between the series below and its own top.
 */
export function stackedBands(rows: readonly ChartRow[], seriesCount: number, x: (t: number) => number, y: (v: number) => number): string[] {
  const below = rows.map(() => 0);
  const round = (n: number) => Math.round(n * 100) / 100;
  const paths: string[] = [];
  for (let j = 0; j < seriesCount; j++) {
    const top = rows.map((row, i) => (below[i] ?? 0) + (row[dataKey(j)] ?? 0));
    const xs = rows.map((row) => round(x(row.t)));
    const n = rows.length - 1;
    let d = `M${xs[0]},${round(y(top[0] ?? 0))}`;
    for (let i = 1; i <= n; i++) d += `H${xs[i]}V${round(y(top[i] ?? 0))}`;
    for (let i = n - 1; i >= 0; i--) d += `V${round(y(below[i] ?? 0))}H${xs[i]}`;
    paths.push(`${d}Z`);
    top.forEach((v, i) => (below[i] = v));
  }
  return rows.length > 0 ? paths : [];
}
