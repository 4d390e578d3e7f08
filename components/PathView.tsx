"use client";
// One drop path: what is blocked, its timeline (enforced vs would-drop) and the events behind it.
import Link from "next/link";
import type { DropPathDetail } from "@/lib/queries/drops/getDropPath";
import { DropsChart } from "./charts/DropsChart";
import { EventsPanel } from "./EventsPanel";
import { TimeRangePicker } from "./filters/TimeRangePicker";
import { ViewActions } from "./filters/ViewActions";
import { refreshMs, useDropView, rangeSelection } from "./hooks/dropView";
import { useDropSeries } from "./hooks/useDropSeries";
import { useViewHref } from "./hooks/useViewHref";
import { formatCount, formatTime } from "./ui/format";
import { EmptyState, ErrorState, Skeleton } from "./ui/states";

const side = (namespace: string | null, workload: string | null) => [namespace ?? "(none)", workload].filter(Boolean).join("/");

export function PathView({ path }: { path: DropPathDetail }) {
  const [view, setView] = useDropView();
  const href = useViewHref();
  const series = useDropSeries({ selection: rangeSelection(view), groupBy: "verdict", path: path.id, cluster: [path.cluster] }, refreshMs(view));
  return (
    <main className="page">
      <div className="breadcrumb">
        <Link href={href("/", ["namespace"])}>Overview</Link> / <Link href={href(`/namespaces/${encodeURIComponent(path.namespace)}`, ["namespace"])}>{path.namespace}</Link> / drop path
      </div>
      <h1 className="path-title">
        {side(path.srcNamespace, path.srcWorkload)} → {side(path.dstNamespace, path.dstWorkload)}:{path.dstPort ?? "–"}/{path.protocol}
      </h1>
      <p className="muted">
        {path.direction.toLowerCase()} · cluster {path.cluster} · policy of {path.namespace} · first seen {formatTime(path.firstSeen)} · last seen {formatTime(path.lastSeen)} UTC
        {path.policies.length > 0 && ` · policies ${path.policies.join(", ")}`} · reasons {path.reasons.join(", ")}
      </p>
      <div className="toolbar">
        <TimeRangePicker />
        <ViewActions />
      </div>
      <section className="panel" aria-label="Timeline">
        <h2>Timeline {series.data ? `· ${formatCount(series.data.total)} drops` : ""}</h2>
        {series.isError ? (
          <ErrorState message={series.error.message} onRetry={() => void series.refetch()} />
        ) : !series.data ? (
          <Skeleton height={220} />
        ) : series.data.total === 0 ? (
          <EmptyState title="This path dropped nothing in this range." />
        ) : (
          <DropsChart result={series.data} height={220} label="Path drops by verdict" onZoom={(from, to) => void setView({ from: from.toISOString(), to: to.toISOString() })} />
        )}
      </section>
      <EventsPanel params={{ selection: rangeSelection(view), path: path.id, cluster: [path.cluster] }} />
    </main>
  );
}
