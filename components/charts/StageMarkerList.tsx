// The rollout stage changes drawn on a chart, listed under it with links (the newest ten; every
// one is drawn).
import Link from "next/link";
import type { StageMarker } from "@/lib/queries/rollouts/getStageMarkers";
import { describeScope } from "@/lib/rollouts/scope";
import { formatTime } from "../ui/format";
import { STAGE_COLORS } from "./chartConfig";

const MAX_LISTED_MARKERS = 10;

function markerTitle(marker: StageMarker): string {
  return `${marker.rolloutName}: ${marker.stage} on ${describeScope(marker)} at ${formatTime(marker.at)} UTC by ${marker.actor}${marker.note ? ` (${marker.note})` : ""}`;
}

export function StageMarkerList({ markers, label }: { markers: StageMarker[]; label: string }) {
  if (markers.length === 0) return null;
  return (
    <ul className="stage-markers" aria-label={`${label}: rollout stages`}>
      {markers.slice(-MAX_LISTED_MARKERS).map((marker) => (
        <li key={`${marker.rolloutId}-${marker.seq}`} title={markerTitle(marker)}>
          <span className="stage-dash" style={{ borderColor: STAGE_COLORS[marker.stage] }} aria-hidden />
          <span className={`badge stage-${marker.stage.toLowerCase()}`}>{marker.stage}</span>{" "}
          <Link prefetch={false} href={`/rollouts/${marker.rolloutId}`}>{marker.rolloutName}</Link>{" "}
          <span className="muted">
            {formatTime(marker.at)} UTC · {marker.actor}
            {marker.note ? ` · ${marker.note}` : ""}
          </span>
        </li>
      ))}
      {markers.length > MAX_LISTED_MARKERS && (
        <li className="muted">
          and {markers.length - MAX_LISTED_MARKERS} earlier stage change(s) in this range (all drawn on the chart; see <Link prefetch={false} href="/rollouts">Rollouts</Link>)
        </li>
      )}
    </ul>
  );
}
