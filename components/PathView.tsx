"use client";
// One drop path: what is blocked, its timeline (enforced vs would-drop, AUDIT after enforcement
// hatched) and the events behind it, over the page's one range; and the rule that would allow it.
import Link from "next/link";
import type { DropPathDetail } from "@/lib/queries/drops/getDropPath";
import { DropsChart } from "./charts/DropsChart";
import { withStillAudited } from "./charts/chartData";
import { EventsPanel } from "./EventsPanel";
import { AllowRuleDialog } from "./fixes/AllowRuleDialog";
import { TimeRangePicker } from "./filters/TimeRangePicker";
import { ViewActions } from "./filters/ViewActions";
import { RangeLine } from "./RangeLine";
import { refreshMs, useDropView, useViewWindow, rangeSelection } from "./hooks/dropView";
import { windowKey } from "./hooks/fetchForRange";
import { useDropSeries } from "./hooks/useDropSeries";
import { useStageMarkers } from "./hooks/useStageMarkers";
import { useStillAudited } from "./hooks/useStillAudited";
import { useViewHref } from "./hooks/useViewHref";
import { formatCount, formatTime } from "./ui/format";
import { EmptyState, ErrorState, Skeleton } from "./ui/states";

const side = (namespace: string | null, workload: string | null) => [namespace ?? "(none)", workload].filter(Boolean).join("/");

export function PathView({ path }: { path: DropPathDetail }) {
  const [view, setView] = useDropView();
  const href = useViewHref();
  const shown = useViewWindow(view);
  const base = { selection: rangeSelection(view), window: shown ? windowKey(shown) : null, path: path.id, cluster: [path.cluster] };
  const series = useDropSeries({ ...base, groupBy: "verdict" }, refreshMs(view));
  const still = useStillAudited(base, refreshMs(view));
  const markers = useStageMarkers({ selection: base.selection, window: base.window, cluster: [path.cluster], namespace: [path.namespace] }, refreshMs(view));
  const flow = `${side(path.srcNamespace, path.srcWorkload)} → ${side(path.dstNamespace, path.dstWorkload)}:${path.dstPort ?? "–"}/${path.protocol}`;
  return (
    <main className="page">
      <div className="breadcrumb">
        <Link prefetch={false} href={href("/", ["namespace"])}>Overview</Link> / <Link prefetch={false} href={href(`/namespaces/${encodeURIComponent(path.namespace)}`, ["namespace"])}>{path.namespace}</Link> / drop path
      </div>
      <h1 className="path-title">{flow}</h1>
      <p className="muted">
        {path.direction.toLowerCase()} · cluster {path.cluster} · policy of {path.namespace} · first seen {formatTime(path.firstSeen)} · last seen {formatTime(path.lastSeen)} UTC
        {path.policies.length > 0 && ` · policies ${path.policies.join(", ")}`} · reasons {path.reasons.join(", ")}
      </p>
      <div className="form-actions">
        <AllowRuleDialog target={{ kind: "path", cluster: path.cluster, id: path.id }} title="Allow this path" subtitle={`${flow} · cluster ${path.cluster}`} />
        <span className="muted">the narrowest rule that lets exactly this traffic through, in the dropping CNI&apos;s policy language</span>
      </div>
      <div className="toolbar">
        <TimeRangePicker shown={shown} />
        <ViewActions shown={shown} />
      </div>
      <RangeLine window={shown} previous={false} />
      <section className="panel" aria-label="Timeline">
        <h2>Timeline {series.data ? `· ${formatCount(series.data.total)} drops` : ""}</h2>
        {series.isError && !series.data ? (
          <ErrorState message={series.error.message} onRetry={() => void series.refetch()} />
        ) : !series.data ? (
          <Skeleton height={220} label="Loading chart" />
        ) : series.data.total === 0 ? (
          <EmptyState title="This path dropped nothing in this range.">
            <p className="muted">It was last seen {formatTime(path.lastSeen)} UTC.</p>
          </EmptyState>
        ) : (
          <DropsChart
            result={withStillAudited(series.data, still.data)}
            group="verdict"
            live={shown?.live}
            height={220}
            label="Path drops by verdict"
            markers={markers.data?.markers}
            onZoom={(from, to) => void setView({ from: from.toISOString(), to: to.toISOString() })}
          />
        )}
      </section>
      <EventsPanel params={{ selection: base.selection, window: base.window, path: path.id, cluster: [path.cluster] }} />
    </main>
  );
}
