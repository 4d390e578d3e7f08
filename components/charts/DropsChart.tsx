"use client";
// Drops over time, stacked per series, with exact counts in the tooltip and drag-to-zoom.
import { useMemo, useState } from "react";
import { Area, AreaChart, CartesianGrid, ReferenceArea, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { OTHER_SERIES } from "@/lib/queries/drops/seriesGroups";
import type { DropSeriesResult } from "@/lib/queries/drops/getDropSeries";
import { STEPS } from "@/lib/queries/timeRange";
import { formatCompact, formatCount, formatTime, STEP_LABELS } from "../ui/format";
import { chartConfig, seriesColor } from "./chartConfig";

interface Props {
  result: DropSeriesResult;
  height?: number;
  /** Called with the dragged span; the caller pins the view to it. */
  onZoom?: (from: Date, to: Date) => void;
  label: string;
}

type Row = { t: number } & Record<string, number>;

export function DropsChart({ result, height = 280, onZoom, label }: Props) {
  const [drag, setDrag] = useState<{ start: number; end: number } | null>(null);
  const stepMs = STEPS[result.step] * 1000;
  const spanMs = new Date(result.to).getTime() - new Date(result.from).getTime();
  const rows = useMemo<Row[]>(() => {
    const first = result.series[0];
    if (!first) return [];
    return first.points.map((point, i) => {
      const row: Row = { t: new Date(point.t).getTime() };
      for (const series of result.series) row[series.key] = series.points[i]?.count ?? 0;
      return row;
    });
  }, [result]);
  const colors = useMemo(() => new Map(result.series.map((s, i) => [s.key, seriesColor(s.key, i, OTHER_SERIES)])), [result]);
  const tickFormat = (t: number) => (spanMs > 36 * 3_600_000 ? formatTime(t).slice(5) : formatTime(t, false));

  return (
    <figure className="chart" aria-label={label}>
      <ResponsiveContainer width="100%" height={height}>
        <AreaChart
          data={rows}
          margin={{ top: 8, right: 12, bottom: 4, left: 8 }}
          onMouseDown={(state) => {
            const start = Number(state?.activeLabel);
            if (onZoom && Number.isFinite(start)) setDrag({ start, end: start });
          }}
          onMouseMove={(state) => {
            const end = Number(state?.activeLabel);
            if (drag && Number.isFinite(end)) setDrag({ ...drag, end });
          }}
          onMouseUp={() => {
            if (drag && onZoom && drag.start !== drag.end) {
              const from = Math.min(drag.start, drag.end);
              const to = Math.max(drag.start, drag.end) + stepMs;
              onZoom(new Date(from), new Date(to));
            }
            setDrag(null);
          }}
        >
          <CartesianGrid stroke={chartConfig.grid} strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="t" type="number" scale="time" domain={["dataMin", "dataMax"]} tickFormatter={tickFormat} stroke={chartConfig.axis} fontSize={12} minTickGap={40} />
          <YAxis
            stroke={chartConfig.axis}
            fontSize={12}
            tickFormatter={formatCompact}
            allowDecimals={false}
            width={64}
            label={{ value: `drops / ${STEP_LABELS[result.step]}`, angle: -90, position: "insideLeft", fill: chartConfig.axis, fontSize: 12, dy: 50 }}
          />
          <Tooltip
            isAnimationActive={false}
            content={({ active, payload, label: t }) => {
              if (!active || !payload?.length) return null;
              const total = payload.reduce((sum, item) => sum + Number(item.value ?? 0), 0);
              return (
                <div className="chart-tooltip">
                  <div className="muted">
                    {formatTime(Number(t))} – {formatTime(Number(t) + stepMs, false)} UTC
                  </div>
                  {[...payload].reverse().map((item) => (
                    <div key={String(item.dataKey)} className="tooltip-row">
                      <span className="swatch" style={{ background: colors.get(String(item.dataKey)) }} />
                      <span>{String(item.dataKey)}</span>
                      <strong>{formatCount(Number(item.value ?? 0))}</strong>
                    </div>
                  ))}
                  <div className="tooltip-row tooltip-total">
                    <span />
                    <span>total</span>
                    <strong>{formatCount(total)}</strong>
                  </div>
                </div>
              );
            }}
          />
          {result.series.map((series) => (
            <Area
              key={series.key}
              dataKey={series.key}
              stackId="drops"
              type="stepAfter"
              stroke={colors.get(series.key)}
              fill={colors.get(series.key)}
              fillOpacity={0.35}
              isAnimationActive={false}
            />
          ))}
          {drag && <ReferenceArea x1={Math.min(drag.start, drag.end)} x2={Math.max(drag.start, drag.end)} fill="#ffffff" fillOpacity={0.1} />}
        </AreaChart>
      </ResponsiveContainer>
      <figcaption className="legend">
        {result.series.map((series) => (
          <span key={series.key} className="legend-item">
            <span className="swatch" style={{ background: colors.get(series.key) }} />
            {series.key} <strong>{formatCount(series.total)}</strong>
          </span>
        ))}
      </figcaption>
      <details className="data-table">
        <summary>Data table</summary>
        <table aria-label={`${label}: totals`}>
          <thead>
            <tr>
              <th scope="col">series</th>
              <th scope="col">drops</th>
            </tr>
          </thead>
          <tbody>
            {result.series.map((series) => (
              <tr key={series.key}>
                <th scope="row">{series.key}</th>
                <td data-testid={`total-${series.key}`}>{formatCount(series.total)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
