// The one range every number on a page covers, said once above its tiles and chart.
import { previousRange, STEPS, type ViewWindow } from "@/lib/queries/timeRange";
import { formatDuration, formatRange, STEP_LABELS } from "./ui/format";

export function RangeLine({ window, previous = true }: { window: ViewWindow | null; previous?: boolean }) {
  if (!window) return <p className="range-line muted">&nbsp;</p>;
  const length = window.to.getTime() - window.from.getTime();
  const before = previousRange(window);
  return (
    <p className="range-line" data-testid="page-range">
      <strong>{formatRange(window.from.getTime(), window.to.getTime())}</strong>{" "}
      <span className="muted">
        ({formatDuration(length)} in {Math.round(length / (STEPS[window.step] * 1000))} buckets of {STEP_LABELS[window.step]}
        {window.live ? ", the last one still filling" : ""}): every number on this page
        {previous ? ` · previous period ${formatRange(before.from.getTime(), before.to.getTime())}` : ""}
      </span>
    </p>
  );
}
