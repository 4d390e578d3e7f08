"use client";
// The applications' error ratio (from the rollout's PromQL query) over the same range as the drops
// chart above it, with the same stage bands and transition lines, the budget as a dashed line and
// the fixed baseline as a dotted one. Each point is the ratio over the step before it; a step with
// no number is a gap, never a line drawn across it. Exact percentages in the tooltip; the chart
// answers the arrow keys (Recharts' accessibility layer) and has a data table.
import { useRef } from "react";
import { CartesianGrid, Line, LineChart, ReferenceArea, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";
import type { StageTransition } from "@/lib/queries/rollouts/getRollout";
import type { ErrorSeries } from "@/lib/rollouts/errorBudget";
import { chartConfig, STAGE_COLORS } from "../charts/chartConfig";
import { tickText, timeTicks } from "../charts/chartData";
import { useElementWidth } from "../hooks/useElementWidth";
import { formatExact, formatMinutes, formatTime } from "../ui/format";
import { StageBadge } from "./badges";
import { formatRatioPct } from "./ratioFormat";

export interface StageBand {
  stage: string;
  from: number;
  to: number;
}

interface Props {
  series: ErrorSeries;
  /** The x range of the drops chart above, so the two line up. */
  domain: [number, number];
  bands: StageBand[];
  transitions: StageTransition[];
  /** budget.maxErrorRatio (0..1), drawn as a dashed line. */
  budgetRatio: number | null;
  /** The fixed baseline's ratio (0..1), drawn as a dotted line. */
  baselineRatio: number | null;
  label: string;
  height?: number;
}

/** As the drops chart above: the same margins and axis width, so the plot areas line up. */
const MARGIN = { top: 8, right: 12, bottom: 4, left: 8 };
const Y_AXIS_WIDTH = 64;

/** Not a stage colour, nor DROPPED red or AUDIT yellow. */
const LINE_COLOR = "#fb923c";
const BUDGET_COLOR = "#ef4444";

type Row = { t: number; pct: number | null };

const axisPct = (v: number) => `${Number(v.toFixed(4))}%`;

/** The smallest of 1, 2, 2.5, 5 × 10^k at least `v`: a tick step people read at a glance. */
function niceStep(v: number): number {
  const exp = 10 ** Math.floor(Math.log10(v));
  return ([1, 2, 2.5, 5, 10].find((f) => f * exp >= v * (1 - 1e-9)) ?? 10) * exp;
}

/** Ticks from 0 past the highest value shown (about four steps), so the axis ends on a round %. */
export function percentTicks(maxPct: number): number[] {
  if (!(maxPct > 0)) return [0, 0.1];
  const step = niceStep(maxPct / 4);
  const count = Math.max(1, Math.ceil((maxPct * (1 - 1e-9)) / step));
  return Array.from({ length: count + 1 }, (_, i) => Number((i * step).toPrecision(12)));
}

export function ErrorRatioChart({ series, domain, bands, transitions, budgetRatio, baselineRatio, label, height = 150 }: Props) {
  const plotRef = useRef<HTMLDivElement>(null);
  const width = useElementWidth(plotRef);
  const stepMs = series.stepSeconds * 1000;
  const rows: Row[] = series.points.map((p) => ({ t: Date.parse(p.t), pct: p.ratio === null ? null : p.ratio * 100 }));
  const [from, to] = domain;
  // The drops chart's time ticks (same helper, same width): the two x axes read alike.
  const plotWidth = Math.max(1, width - MARGIN.left - MARGIN.right - Y_AXIS_WIDTH);
  const { ticks: timeAxis, every } = timeTicks(from, to, Math.max(3, Math.min(10, Math.floor(plotWidth / 64))));
  const budgetPct = budgetRatio === null ? null : budgetRatio * 100;
  const baselinePct = baselineRatio === null ? null : baselineRatio * 100;
  const stageAt = (t: number) => [...bands].reverse().find((b) => b.from <= t && t < b.to)?.stage ?? null;
  const shownTransitions = transitions.filter((t) => {
    const at = Date.parse(t.at);
    return at >= from && at <= to;
  });
  const read = rows.filter((r) => r.pct !== null).length;
  const ticks = percentTicks(Math.max(0, ...rows.map((r) => r.pct ?? 0), (budgetPct ?? 0) * 1.1, baselinePct ?? 0));
  return (
    <figure className="chart error-chart" aria-label={label}>
      <div className="chart-plot" ref={plotRef} style={{ height }}>
        {width > 0 && (
          <LineChart width={width} height={height} data={rows} margin={MARGIN}>
            <CartesianGrid stroke={chartConfig.grid} strokeDasharray="3 3" vertical={false} />
            <XAxis
              dataKey="t"
              type="number"
              scale="time"
              domain={domain}
              allowDataOverflow
              ticks={timeAxis}
              tickFormatter={(t: number) => tickText(t, every)}
              stroke={chartConfig.axis}
              fontSize={12}
              interval="preserveStartEnd"
              minTickGap={8}
            />
            <YAxis
              stroke={chartConfig.axis}
              fontSize={12}
              width={Y_AXIS_WIDTH}
              tickFormatter={axisPct}
              domain={[0, ticks.at(-1) ?? 1]}
              ticks={ticks}
              interval={0}
              label={{ value: "errors %", angle: -90, position: "insideLeft", fill: chartConfig.axis, fontSize: 12, dy: 28 }}
            />
            <Tooltip
              isAnimationActive={false}
              content={({ active, label: at }) => {
                if (!active) return null;
                const t = Number(at);
                const row = rows.find((r) => r.t === t);
                if (!row) return null;
                const stage = stageAt(t - 1);
                return (
                  <div className="chart-tooltip">
                    <div className="muted">
                      {formatTime(t - stepMs)} – {formatTime(t, false)} UTC
                    </div>
                    <div className="tooltip-row">
                      <span className="swatch" style={{ background: LINE_COLOR }} />
                      <span>error ratio</span>
                      <strong>{row.pct === null ? "no number" : `${formatExact(row.pct)}%`}</strong>
                    </div>
                    {budgetPct !== null && (
                      <div className="tooltip-row">
                        <span />
                        <span>budget</span>
                        <strong>{formatRatioPct(budgetRatio)}</strong>
                      </div>
                    )}
                    {baselinePct !== null && (
                      <div className="tooltip-row">
                        <span />
                        <span>baseline</span>
                        <strong>{formatExact(baselinePct)}%</strong>
                      </div>
                    )}
                    {stage && (
                      <div className="muted tooltip-stage">
                        stage <StageBadge stage={stage as StageTransition["stage"]} />
                      </div>
                    )}
                    {row.pct === null && <div className="muted">Prometheus had no number for this step (no requests?)</div>}
                  </div>
                );
              }}
            />
            {bands.map((band) =>
              band.to > from && band.from < to ? (
                <ReferenceArea
                  key={`${band.stage}-${band.from}`}
                  x1={Math.max(from, band.from)}
                  x2={Math.min(to, band.to)}
                  fill={STAGE_COLORS[band.stage] ?? "#ffffff"}
                  fillOpacity={0.08}
                  ifOverflow="hidden"
                />
              ) : null,
            )}
            {shownTransitions.map((t) => (
              <ReferenceLine key={t.seq} x={Date.parse(t.at)} stroke={STAGE_COLORS[t.stage] ?? "#ffffff"} strokeDasharray="4 3" strokeWidth={1.5} />
            ))}
            {baselinePct !== null && (
              <ReferenceLine y={baselinePct} stroke={chartConfig.axis} strokeDasharray="1 3" label={{ value: "baseline", position: "insideBottomLeft", fill: chartConfig.axis, fontSize: 10 }} />
            )}
            {budgetPct !== null && (
              <ReferenceLine
                y={budgetPct}
                stroke={BUDGET_COLOR}
                strokeDasharray="6 3"
                label={{ value: `budget ${formatRatioPct(budgetRatio)}`, position: "insideTopLeft", fill: BUDGET_COLOR, fontSize: 10 }}
              />
            )}
            <Line dataKey="pct" type="linear" stroke={LINE_COLOR} strokeWidth={1.75} dot={false} connectNulls={false} isAnimationActive={false} name="error ratio" />
          </LineChart>
        )}
      </div>
      <figcaption className="legend">
        <span className="legend-item">
          <span className="swatch" style={{ background: LINE_COLOR }} />
          error ratio, each point over the {formatMinutes(series.stepSeconds / 60)} before it (worst series)
        </span>
        {budgetPct !== null && (
          <span className="legend-item">
            <span className="legend-dash legend-dash-budget" aria-hidden />
            budget {formatRatioPct(budgetRatio)}
          </span>
        )}
        {baselinePct !== null && (
          <span className="legend-item">
            <span className="legend-dash legend-dash-baseline" aria-hidden />
            baseline {formatRatioPct(baselineRatio)}
          </span>
        )}
        <span className="legend-item muted">
          {read} of {rows.length} steps read
        </span>
      </figcaption>
      <details className="data-table">
        <summary>Data table</summary>
        <table aria-label={`${label}: data`}>
          <thead>
            <tr>
              <th scope="col">window (UTC)</th>
              <th scope="col">error ratio</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.t}>
                <th scope="row">
                  {formatTime(r.t - stepMs)} – {formatTime(r.t, false)}
                </th>
                <td>{r.pct === null ? "no number" : `${formatExact(r.pct)}%`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
