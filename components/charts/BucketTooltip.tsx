// The drops chart's tooltip: one bucket's exact count per series, their total, and the stage
// changes drawn in that bucket.
import type { StageMarker } from "@/lib/queries/rollouts/getStageMarkers";
import { formatCount, formatTime } from "../ui/format";
import { seriesLabel, type ChartSeries } from "./chartData";
import { SeriesSwatch } from "./SeriesSwatch";

interface Props {
  /** The bucket's start (epoch ms). */
  at: number;
  stepMs: number;
  /** The newest bucket of a live range: still filling. */
  filling: boolean;
  /** The hovered series, top of the stack first. */
  values: { index: number; count: number }[];
  series: ChartSeries[];
  colors: string[];
  markers: StageMarker[];
}

export function BucketTooltip({ at, stepMs, filling, values, series, colors, markers }: Props) {
  const total = values.reduce((sum, value) => sum + value.count, 0);
  return (
    <div className="chart-tooltip">
      <div className="muted">
        {formatTime(at)} – {formatTime(at + stepMs, false)} UTC{filling ? " (so far)" : ""}
      </div>
      {values.map(({ index, count }) => {
        const s = series[index];
        return (
          <div key={index} className="tooltip-row">
            <SeriesSwatch series={s} color={colors[index]} />
            <span>{s ? seriesLabel(s) : ""}</span>
            <strong>{formatCount(count)}</strong>
          </div>
        );
      })}
      <div className="tooltip-row tooltip-total">
        <span />
        <span>total</span>
        <strong>{formatCount(total)}</strong>
      </div>
      {markers.map((marker) => (
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
}
