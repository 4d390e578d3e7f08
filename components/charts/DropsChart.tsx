"use client";
// Drops over time, stacked per series, with exact counts in the tooltip and drag-to-zoom.
import Link from "next/link";
import { useMemo, useState } from "react";
import { Area, AreaChart, CartesianGrid, ReferenceArea, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { StageMarker } from "@/lib/queries/rollouts/getStageMarkers";
import { describeScope } from "@/lib/rollouts/scope";
import { OTHER_SERIES } from "@/lib/queries/drops/seriesGroups";
import type { DropSeriesResult } from "@/lib/queries/drops/getDropSeries";
import { STEPS } from "@/lib/queries/timeRange";
import { formatCompact, formatCount, formatTime, STEP_LABELS } from "../ui/format";
import { chartConfig, seriesColor, STAGE_COLORS } from "./chartConfig";

interface Props {
  result: DropSeriesResult;
  height?: number;
  /** Called with the dragged span; the caller pins the view to it. */
  onZoom?: (from: Date, to: Date) => void;
  label: string;
  /** Rollout stage transitions to mark (dashed lines, listed under the chart with links). */
  markers?: StageMarker[];
  /** Stages as shaded bands (a rollout's own page). */
  bands?: { stage: string; from: number; to: number }[];
}

type Row = { t: number } & Record<string, number>;

/** Stage changes listed under a chart (the newest); every one is drawn. */
const MAX_LISTED_MARKERS = 10;

export function DropsChart({ result, height = 280, onZoom, label, markers = [], bands = [] }: Props) {
  const [drag, setDrag] = useState<{ start: number; end: number } | null>(null);
  const stepMs = STEPS[result.step] * 1000;
  const spanMs = new Date(result.to).getTime() - new Date(result.from).getTime();
  const rows = useMemo<Row[]>(() => {
    const first = result.series[0];
    if (!first) return [];
    const buckets = first.points.map((point, i) => {
      const row: Row = { t: new Date(point.t).getTime() };
      for (const series of result.series) row[series.key] = series.points[i]?.count ?? 0;
      return row;
    });
    // A step chart draws each bucket from its point to the next one: without a closing point the
    // newest bucket would have no width and its drops would not show.
    const last = buckets.at(-1);
    return last ? [...buckets, { ...last, t: last.t + stepMs }] : buckets;
  }, [result, stepMs]);
  const colors = useMemo(() => new Map(result.series.map((s, i) => [s.key, seriesColor(s.key, i, OTHER_SERIES)])), [result]);
  const tickFormat = (t: number) => (spanMs > 36 * 3_600_000 ? formatTime(t).slice(5) : formatTime(t, false));
  const firstT = rows[0]?.t ?? 0;
  // The newest bucket's start (the row after it only closes the step).
  const lastT = (rows.at(-1)?.t ?? stepMs) - stepMs;
  const bucketStart = (t: number) => Math.min(t, lastT);
  // A transition is drawn at the start of the bucket it falls in, like the drops it affects.
  const bucketOf = (iso: string) => Math.min(lastT, Math.max(firstT, Math.floor(new Date(iso).getTime() / stepMs) * stepMs));
  const shownMarkers = markers.filter((m) => {
    const at = new Date(m.at).getTime();
    return at >= new Date(result.from).getTime() && at <= new Date(result.to).getTime();
  });

  // Stage names over the lines, but never on top of each other: a line too close to the last
  // labelled one (under 8% of the width) is drawn unlabelled; the list below names every one.
  const labelled = new Set<string>();
  let lastLabelled = -Infinity;
  for (const marker of [...shownMarkers].sort((a, b) => a.at.localeCompare(b.at))) {
    const x = bucketOf(marker.at);
    if (x - lastLabelled < spanMs * 0.08) continue;
    labelled.add(`${marker.rolloutId}-${marker.seq}`);
    lastLabelled = x;
  }

  return (
    <figure className="chart" aria-label={label}>
      <ResponsiveContainer width="100%" height={height}>
        <AreaChart
          data={rows}
          margin={{ top: 8, right: 12, bottom: 4, left: 8 }}
          onMouseDown={(state) => {
            const start = bucketStart(Number(state?.activeLabel));
            if (onZoom && Number.isFinite(start)) setDrag({ start, end: start });
          }}
          onMouseMove={(state) => {
            const end = bucketStart(Number(state?.activeLabel));
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
            content={({ active, payload, label }) => {
              if (!active || !payload?.length) return null;
              const t = bucketStart(Number(label));
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
                  {shownMarkers
                    .filter((marker) => bucketOf(marker.at) === t)
                    .map((marker) => (
                      <div key={`${marker.rolloutId}-${marker.seq}`} className="tooltip-marker">
                        <span className={`badge stage-${marker.stage.toLowerCase()}`}>{marker.stage}</span> {marker.rolloutName}
                        <div className="muted">
                          {formatTime(marker.at)} UTC · {marker.actor}
                          {marker.note ? ` · ${marker.note}` : ""}
                        </div>
                      </div>
                    ))}
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
          {bands.map((band) => (
            <ReferenceArea
              key={`${band.stage}-${band.from}`}
              x1={Math.max(firstT, Math.floor(band.from / stepMs) * stepMs)}
              x2={Math.min(lastT + stepMs, Math.max(firstT, band.to))}
              fill={STAGE_COLORS[band.stage] ?? "#ffffff"}
              fillOpacity={0.08}
              ifOverflow="hidden"
            />
          ))}
          {shownMarkers.map((marker) => (
            <ReferenceLine
              key={`${marker.rolloutId}-${marker.seq}`}
              x={bucketOf(marker.at)}
              stroke={STAGE_COLORS[marker.stage] ?? "#ffffff"}
              strokeDasharray="4 3"
              strokeWidth={1.5}
              label={labelled.has(`${marker.rolloutId}-${marker.seq}`) ? { value: marker.stage, position: "insideTopRight", fill: STAGE_COLORS[marker.stage] ?? "#ffffff", fontSize: 10 } : undefined}
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
      {shownMarkers.length > 0 && (
        <ul className="stage-markers" aria-label={`${label}: rollout stages`}>
          {shownMarkers.slice(-MAX_LISTED_MARKERS).map((marker) => (
            <li key={`${marker.rolloutId}-${marker.seq}`} title={markerTitle(marker)}>
              <span className="stage-dash" style={{ borderColor: STAGE_COLORS[marker.stage] }} aria-hidden />
              <span className={`badge stage-${marker.stage.toLowerCase()}`}>{marker.stage}</span>{" "}
              <Link href={`/rollouts/${marker.rolloutId}`}>{marker.rolloutName}</Link>{" "}
              <span className="muted">
                {formatTime(marker.at)} UTC · {marker.actor}
                {marker.note ? ` · ${marker.note}` : ""}
              </span>
            </li>
          ))}
          {shownMarkers.length > MAX_LISTED_MARKERS && (
            <li className="muted">
              and {shownMarkers.length - MAX_LISTED_MARKERS} earlier stage change(s) in this range (all drawn on the chart; see <Link href="/rollouts">Rollouts</Link>)
            </li>
          )}
        </ul>
      )}
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

function markerTitle(marker: StageMarker): string {
  return `${marker.rolloutName}: ${marker.stage} on ${describeScope(marker)} at ${formatTime(marker.at)} UTC by ${marker.actor}${marker.note ? ` (${marker.note})` : ""}`;
}
