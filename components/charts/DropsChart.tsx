"use client";
// Drops over time, stacked per series, with exact counts in the tooltip and drag-to-zoom. Series
// are keyed by index (s0, s1, ...), never by name: a namespace may be called "t".
import { lazy, Suspense, useId, useMemo, useRef, useState } from "react";
import type { DropSeriesResult } from "@/lib/queries/drops/getDropSeries";
import type { SeriesGroup } from "@/lib/queries/drops/seriesGroups";
import type { StageMarker } from "@/lib/queries/rollouts/getStageMarkers";
import { STEPS } from "@/lib/queries/timeRange";
import { useElementWidth } from "../hooks/useElementWidth";
import { formatCompact, formatRange, STEP_LABELS } from "../ui/format";
import { inferGroup, seriesColors, STAGE_COLORS } from "./chartConfig";
import { countTicks, placeLabels, timeTicks, type ChartResult, type ChartSeries } from "./chartData";
import { CHART_MARGIN as MARGIN, chartRows, dataKey, xTickCount, Y_AXIS_WIDTH, type ChartRow } from "./chartLayout";
import { SeriesLegend, SeriesTotalsTable } from "./SeriesTotals";
import { StageMarkerList } from "./StageMarkerList";
import { StaticDropsChart } from "./StaticDropsChart";

interface Props {
  result: DropSeriesResult | ChartResult;
  height?: number;
  /** Called with the dragged span; the caller pins the view to it. */
  onZoom?: (from: Date, to: Date) => void;
  label: string;
  /** Rollout stage transitions to mark (dashed lines, listed under the chart with links). */
  markers?: StageMarker[];
  /** Stages as shaded bands (a rollout's own page). */
  bands?: { stage: string; from: number; to: number }[];
  /** What the series are (fixed colours for verdicts and directions); inferred when not given. */
  group?: SeriesGroup;
  /** The range is live: its last bucket is still filling. */
  live?: boolean;
}

const LABEL_FONT = 10;
/** A stage label's width in px: about 0.62 em per capital letter. */
const labelWidth = (text: string) => Math.ceil(text.length * LABEL_FONT * 0.66) + 4;

const load = () => import("./RechartsPlot");
const RechartsPlot = lazy(load);
// Fetched with the page's scripts, not after hydration: the picture is swapped as soon as it can be.
if (typeof window !== "undefined") void load();

export function DropsChart({ result, height = 280, onZoom, label, markers = [], bands = [], group, live = false }: Props) {
  const [drag, setDrag] = useState<{ start: number; end: number } | null>(null);
  const patternId = `hatch-${useId().replace(/[^a-zA-Z0-9_-]/g, "")}`;
  const plotRef = useRef<HTMLDivElement>(null);
  const width = useElementWidth(plotRef);
  const series: ChartSeries[] = result.series;
  const stepMs = STEPS[result.step] * 1000;
  const fromMs = new Date(result.from).getTime();
  const toMs = new Date(result.to).getTime();
  const rows = useMemo<ChartRow[]>(() => chartRows(result, stepMs), [result, stepMs]);
  const yTicks = useMemo(() => countTicks(Math.max(0, ...rows.map((row) => result.series.reduce((sum, _s, j) => sum + (row[dataKey(j)] ?? 0), 0))), height < 240 ? 3 : 4), [rows, result, height]);
  const colors = useMemo(() => seriesColors(result.series, group ?? inferGroup(result.series)), [result, group]);
  const fill = (i: number) => (series[i]?.stillAudited ? `url(#${patternId})` : colors[i]);
  const plotWidth = Math.max(1, width - MARGIN.left - MARGIN.right - Y_AXIS_WIDTH);
  const { ticks, every } = timeTicks(fromMs, toMs, xTickCount(plotWidth));
  const lastT = toMs - stepMs;
  const bucketStart = (t: number) => Math.min(Math.floor(t / stepMs) * stepMs, lastT);
  // A transition is drawn at the start of the bucket it falls in, like the drops it affects.
  const bucketOf = (iso: string) => Math.min(lastT, Math.max(fromMs, Math.floor(new Date(iso).getTime() / stepMs) * stepMs));
  const shownMarkers = markers.filter((m) => {
    const at = new Date(m.at).getTime();
    return at >= fromMs && at <= toMs;
  });
  // One line per stage and bucket (three rollouts entering OBSERVE at once: "OBSERVE ×3"), its
  // name over it, never on top of another (placeLabels: up to three rows, else unlabelled).
  const grouped = new Map<string, { x: number; stage: string; count: number }>();
  for (const m of shownMarkers) {
    const x = bucketOf(m.at);
    const line = grouped.get(`${x}|${m.stage}`) ?? { x, stage: m.stage, count: 0 };
    line.count += 1;
    grouped.set(`${x}|${m.stage}`, line);
  }
  const lines = [...grouped.values()].map((line) => ({ ...line, text: `${line.stage}${line.count > 1 ? ` ×${line.count}` : ""}` }));
  const xOf = (t: number) => ((t - fromMs) / Math.max(1, toMs - fromMs)) * plotWidth;
  const placements = placeLabels(
    lines.map((line) => xOf(line.x)),
    lines.map((line) => labelWidth(line.text)),
    plotWidth,
  );
  const endZoom = () => {
    if (drag && onZoom && drag.start !== drag.end) {
      onZoom(new Date(Math.min(drag.start, drag.end)), new Date(Math.max(drag.start, drag.end) + stepMs));
    }
    setDrag(null);
  };

  const yLabel = `drops / ${STEP_LABELS[result.step]}`;
  // The first picture, before the width is known (the server's HTML, hydration) and until Recharts has loaded.
  const staticChart = (
    <StaticDropsChart
      rows={rows}
      seriesCount={series.length}
      fill={fill}
      opacity={(i) => (series[i]?.stillAudited ? 1 : 0.8)}
      yTicks={yTicks}
      yFormat={formatCompact}
      yLabel={yLabel}
      fromMs={fromMs}
      toMs={toMs}
      height={height}
      lines={lines}
      bands={bands}
      stepMs={stepMs}
      patternId={patternId}
    />
  );

  return (
    <figure className="chart" aria-label={label} data-chart="drops">
      <div className="chart-plot" ref={plotRef} style={{ height }} onMouseLeave={() => setDrag(null)}>
        {width === 0 ? staticChart : (
          // Until the interactive chart's code has arrived, the same picture stays.
          <Suspense fallback={staticChart}>
            <RechartsPlot
              {...{ width, height, rows, series, colors, fill, patternId, yTicks, ticks, every, fromMs, toMs, stepMs, lastT, live, lines, bands, shownMarkers, drag, setDrag, endZoom, bucketStart, bucketOf }}
              yLabel={yLabel}
              zoomable={Boolean(onZoom)}
            />
          </Suspense>
        )}
        {width > 0 && (
          // Stage names over their lines (HTML over the plot, so a line's box is the line alone).
          <div className="stage-labels" aria-hidden>
            {lines.map((line, i) => {
              const placement = placements[i];
              if (!placement || placement.row === null) return null;
              const x = MARGIN.left + Y_AXIS_WIDTH + xOf(line.x);
              return (
                <span
                  key={`${line.x}-${line.stage}`}
                  className="stage-label"
                  style={{
                    color: STAGE_COLORS[line.stage] ?? "#ffffff",
                    top: MARGIN.top + placement.row * 12,
                    ...(placement.left ? { right: width - x + 3 } : { left: x + 3 }),
                  }}
                >
                  {line.text}
                </span>
              );
            })}
          </div>
        )}
      </div>
      <figcaption className="chart-caption">
        <span className="muted" data-testid="chart-range">
          {formatRange(result.from, result.to)} · {rows.length > 0 ? rows.length - 1 : 0} buckets of {STEP_LABELS[result.step]}
          {live ? " · the last one still filling" : ""}
        </span>
        <SeriesLegend series={series} colors={colors} />
      </figcaption>
      <StageMarkerList markers={shownMarkers} label={label} />
      <SeriesTotalsTable series={series} total={result.total} label={label} />
    </figure>
  );
}
