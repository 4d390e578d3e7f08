// The drops chart's first picture: the very same stacked series, colours, buckets, axis ticks and
// stage lines as the Recharts chart, as plain SVG that the server renders with the page (Recharts
// draws nothing there), so the chart shows before any JavaScript has run. DropsChart swaps it for
// the interactive Recharts chart (tooltip, drag-to-zoom) once it has measured its width.
// Geometry follows Recharts' own layout for the same props (MARGIN, Y_AXIS_WIDTH, a 30 px x-axis);
// the plot stretches with the width (no width is known on the server), the text does not.
import { chartConfig, STAGE_COLORS } from "./chartConfig";
import { tickText, timeTicks } from "./chartData";
import { CHART_MARGIN as M, stackedBands, X_AXIS_HEIGHT, X_TICK_SPACING, Y_AXIS_WIDTH, type ChartRow } from "./chartLayout";

interface Props {
  rows: ChartRow[];
  seriesCount: number;
  fill: (i: number) => string | undefined;
  opacity: (i: number) => number;
  yTicks: number[];
  yFormat: (n: number) => string;
  yLabel: string;
  fromMs: number;
  toMs: number;
  height: number;
  lines: { x: number; stage: string }[];
  bands: { stage: string; from: number; to: number }[];
  stepMs: number;
  patternId: string;
}

/** Plot x in the stretched viewBox (0..1000). */
const VIEW_WIDTH = 1000;
const LEFT = M.left + Y_AXIS_WIDTH;
const COUNTS = [3, 4, 5, 6, 7, 8, 9, 10];

/** Which tick set shows at which width: the count Recharts' chart would use there (xTickCount), by container query. */
const TICK_CSS = COUNTS.map((count) => {
  const min = count === 3 ? 0 : LEFT + M.right + count * X_TICK_SPACING;
  const max = count === 10 ? Infinity : LEFT + M.right + (count + 1) * X_TICK_SPACING;
  const query = [min > 0 ? `(min-width: ${min}px)` : "", max < Infinity ? `(max-width: ${max - 0.02}px)` : ""].filter(Boolean).join(" and ");
  return `@container ${query} { .chart-static .x-ticks-${count} { display: inline; } }`;
}).join("\n");

export function StaticDropsChart(props: Props) {
  const { rows, seriesCount, yTicks, fromMs, toMs, height, stepMs } = props;
  const plotHeight = height - M.top - M.bottom - X_AXIS_HEIGHT;
  const bottom = M.top + plotHeight;
  const yMax = yTicks.at(-1) ?? 1;
  const yOf = (v: number) => M.top + plotHeight - (v / yMax) * plotHeight;
  const span = Math.max(1, toMs - fromMs);
  const pct = (t: number) => `${(((t - fromMs) / span) * 100).toFixed(3)}%`;
  const bands = stackedBands(rows, seriesCount, (t) => ((t - fromMs) / span) * VIEW_WIDTH, (v) => plotHeight - (v / yMax) * plotHeight);
  return (
    <div className="chart-static" style={{ height }}>
      <style href="chart-static-ticks" precedence="default">
        {`.chart-static { container-type: inline-size; } .chart-static .x-ticks { display: none; }\n${TICK_CSS}`}
      </style>
      <svg className="chart-static-y" width={LEFT + 1} height={height} aria-hidden>
        <line x1={LEFT} x2={LEFT} y1={M.top} y2={bottom} stroke={chartConfig.axis} />
        {yTicks.map((v) => (
          <g key={v}>
            <line x1={LEFT - 6} x2={LEFT} y1={yOf(v)} y2={yOf(v)} stroke={chartConfig.axis} />
            <text x={LEFT - 8} y={yOf(v)} dy="0.355em" textAnchor="end" fontSize={12} fill={chartConfig.axis}>
              {props.yFormat(v)}
            </text>
          </g>
        ))}
        <text x={M.left + 5} y={M.top + plotHeight / 2 + 50} dy="0.355em" transform={`rotate(-90, ${M.left + 5}, ${M.top + plotHeight / 2 + 50})`} fontSize={12} fill={chartConfig.axis}>
          {props.yLabel}
        </text>
      </svg>
      <svg className="chart-static-plot" style={{ left: LEFT, width: `calc(100% - ${LEFT + M.right}px)`, height }} aria-hidden>
        {yTicks.map((v) => (
          <line key={v} x1="0" x2="100%" y1={yOf(v)} y2={yOf(v)} stroke={chartConfig.grid} strokeDasharray="3 3" />
        ))}
        <svg y={M.top} width="100%" height={plotHeight} viewBox={`0 0 ${VIEW_WIDTH} ${plotHeight}`} preserveAspectRatio="none">
          <defs>
            <pattern id={props.patternId} patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">
              <rect width="6" height="6" fill={chartConfig.stillAudited.ground} />
              <rect width="3" height="6" fill={chartConfig.stillAudited.stripe} />
            </pattern>
          </defs>
          {bands.map((d, i) => (
            <path key={i} d={d} fill={props.fill(i)} fillOpacity={props.opacity(i)} />
          ))}
          {props.bands.map((band) => {
            const x1 = ((Math.max(fromMs, Math.floor(band.from / stepMs) * stepMs) - fromMs) / span) * VIEW_WIDTH;
            const x2 = ((Math.min(toMs, Math.max(fromMs, band.to)) - fromMs) / span) * VIEW_WIDTH;
            return <rect key={`${band.stage}-${band.from}`} x={x1} width={Math.max(0, x2 - x1)} y={0} height={plotHeight} fill={STAGE_COLORS[band.stage] ?? "#ffffff"} fillOpacity={0.08} />;
          })}
        </svg>
        {props.lines.map((line) => (
          <line key={`${line.x}-${line.stage}`} x1={pct(line.x)} x2={pct(line.x)} y1={bottom} y2={M.top} stroke={STAGE_COLORS[line.stage] ?? "#ffffff"} strokeDasharray="4 3" strokeWidth={1.5} />
        ))}
        <line x1="0" x2="100%" y1={bottom} y2={bottom} stroke={chartConfig.axis} />
        {COUNTS.map((count) => {
          const { ticks, every } = timeTicks(fromMs, toMs, count);
          return (
            <g key={count} className={`x-ticks x-ticks-${count}`}>
              {ticks.map((t) => (
                <g key={t}>
                  <line x1={pct(t)} x2={pct(t)} y1={bottom + 6} y2={bottom} stroke={chartConfig.axis} />
                  <text x={pct(t)} y={bottom + 8} dy="0.71em" textAnchor="middle" fontSize={12} fill={chartConfig.axis}>
                    {tickText(t, every)}
                  </text>
                </g>
              ))}
            </g>
          );
        })}
      </svg>
    </div>
  );
}
