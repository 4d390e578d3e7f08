"use client";
// The interactive drops chart (Recharts): exact counts in the tooltip, drag-to-zoom. Loaded on its
// own, after the page's first picture (StaticDropsChart), so Recharts is not on the first paint's path.
import type { MouseEvent as ReactMouseEvent } from "react";
import { Area, AreaChart, CartesianGrid, ReferenceArea, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";
import type { StageMarker } from "@/lib/queries/rollouts/getStageMarkers";
import { formatCompact } from "../ui/format";
import { BucketTooltip } from "./BucketTooltip";
import { chartConfig, STAGE_COLORS } from "./chartConfig";
import { seriesLabel, tickText, type ChartSeries } from "./chartData";
import { CHART_MARGIN as MARGIN, dataKey, Y_AXIS_WIDTH, type ChartRow } from "./chartLayout";

export interface Drag {
  start: number;
  end: number;
}

export interface RechartsPlotProps {
  width: number;
  height: number;
  rows: ChartRow[];
  series: ChartSeries[];
  colors: string[];
  fill: (i: number) => string | undefined;
  patternId: string;
  yTicks: number[];
  yLabel: string;
  ticks: number[];
  every: number;
  fromMs: number;
  toMs: number;
  stepMs: number;
  lastT: number;
  live: boolean;
  lines: { x: number; stage: string }[];
  bands: { stage: string; from: number; to: number }[];
  shownMarkers: StageMarker[];
  drag: Drag | null;
  setDrag: (drag: Drag | null) => void;
  zoomable: boolean;
  endZoom: () => void;
  bucketStart: (t: number) => number;
  bucketOf: (iso: string) => number;
}

const indexOf = (key: unknown) => Number(String(key).slice(1));

export default function RechartsPlot(props: RechartsPlotProps) {
  const { width, height, rows, series, colors, fill, patternId, yTicks, ticks, every, fromMs, toMs, stepMs, lastT, live, lines, bands, shownMarkers, drag, setDrag, endZoom, bucketStart, bucketOf } = props;
  return (
    <AreaChart
      width={width}
      height={height}
      data={rows}
      margin={MARGIN}
      onMouseDown={(state, event: ReactMouseEvent) => {
        // No text selection while dragging (axis labels, the page).
        event?.preventDefault?.();
        const start = bucketStart(Number(state?.activeLabel));
        if (props.zoomable && Number.isFinite(start)) setDrag({ start, end: start });
      }}
      onMouseMove={(state) => {
        const end = bucketStart(Number(state?.activeLabel));
        if (drag && Number.isFinite(end)) setDrag({ ...drag, end });
      }}
      onMouseUp={endZoom}
    >
      <defs>
        <pattern id={patternId} patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">
          <rect width="6" height="6" fill={chartConfig.stillAudited.ground} />
          <rect width="3" height="6" fill={chartConfig.stillAudited.stripe} />
        </pattern>
      </defs>
      <CartesianGrid stroke={chartConfig.grid} strokeDasharray="3 3" vertical={false} />
      <XAxis
        dataKey="t"
        type="number"
        scale="time"
        domain={[fromMs, toMs]}
        ticks={ticks}
        tickFormatter={(t: number) => tickText(t, every)}
        stroke={chartConfig.axis}
        fontSize={12}
        interval="preserveStartEnd"
        minTickGap={8}
      />
      <YAxis
        domain={[0, yTicks.at(-1) ?? 1]}
        ticks={yTicks}
        interval={0}
        stroke={chartConfig.axis}
        fontSize={12}
        tickFormatter={formatCompact}
        allowDecimals={false}
        width={Y_AXIS_WIDTH}
        label={{ value: props.yLabel, angle: -90, position: "insideLeft", fill: chartConfig.axis, fontSize: 12, dy: 50 }}
      />
      <Tooltip
        isAnimationActive={false}
        content={({ active, payload, label: at }) => {
          if (!active || !payload?.length) return null;
          const t = bucketStart(Number(at));
          return (
            <BucketTooltip
              at={t}
              stepMs={stepMs}
              filling={live && t === lastT}
              values={[...payload].reverse().map((item) => ({ index: indexOf(item.dataKey), count: Number(item.value ?? 0) }))}
              series={series}
              colors={colors}
              markers={shownMarkers.filter((marker) => bucketOf(marker.at) === t)}
            />
          );
        }}
      />
      {series.map((s, i) => (
        <Area
          key={dataKey(i)}
          dataKey={dataKey(i)}
          name={seriesLabel(s)}
          stackId="drops"
          type="stepAfter"
          stroke="none"
          fill={fill(i)}
          fillOpacity={s.stillAudited ? 1 : 0.8}
          activeDot={false}
          isAnimationActive={false}
        />
      ))}
      {bands.map((band) => (
        <ReferenceArea
          key={`${band.stage}-${band.from}`}
          x1={Math.max(fromMs, Math.floor(band.from / stepMs) * stepMs)}
          x2={Math.min(toMs, Math.max(fromMs, band.to))}
          fill={STAGE_COLORS[band.stage] ?? "#ffffff"}
          fillOpacity={0.08}
          ifOverflow="hidden"
        />
      ))}
      {lines.map((line) => (
        <ReferenceLine key={`${line.x}-${line.stage}`} x={line.x} stroke={STAGE_COLORS[line.stage] ?? "#ffffff"} strokeDasharray="4 3" strokeWidth={1.5} />
      ))}
      {drag && <ReferenceArea x1={Math.min(drag.start, drag.end)} x2={Math.max(drag.start, drag.end) + stepMs} fill="#ffffff" fillOpacity={0.1} />}
    </AreaChart>
  );
}
