"use client";
// The overview: drops over time per namespace (or any grouping), totals vs the previous period,
// top namespaces, paths and reasons. Everything it shows follows the URL.
import { useState } from "react";
import { OTHER_SERIES, SERIES_GROUP_NAMES, type SeriesGroup } from "@/lib/queries/drops/seriesGroups";
import { DropsChart } from "./charts/DropsChart";
import { FilterBar } from "./filters/FilterBar";
import { TimeRangePicker } from "./filters/TimeRangePicker";
import { ViewActions } from "./filters/ViewActions";
import { refreshMs, useDropView, viewFilters, rangeSelection } from "./hooks/dropView";
import { useDropSeries } from "./hooks/useDropSeries";
import { useStageMarkers } from "./hooks/useStageMarkers";
import { useTopDropPaths } from "./hooks/useTopDropPaths";
import { useTopPolicies } from "./hooks/useTopPolicies";
import { useViewHref } from "./hooks/useViewHref";
import { DropPathsTable } from "./tables/DropPathsTable";
import { RankedList } from "./tables/RankedList";
import { formatChange, formatCount } from "./ui/format";
import { EmptyState, ErrorState, SendDropsHint, Skeleton } from "./ui/states";

export function Overview() {
  const [view, setView] = useDropView();
  const [pathFilter, setPathFilter] = useState("");
  const viewHref = useViewHref();
  const filters = viewFilters(view);
  const refetch = refreshMs(view);
  const main = useDropSeries({ selection: rangeSelection(view), groupBy: view.groupBy, limit: 8, ...filters }, refetch);
  const verdicts = useDropSeries({ selection: rangeSelection(view), groupBy: "verdict", ...filters }, refetch);
  const previous = useDropSeries({ selection: rangeSelection(view), groupBy: "verdict", previous: true, ...filters }, refetch);
  const namespaces = useDropSeries({ selection: rangeSelection(view), groupBy: "namespace", limit: 50, ...filters }, refetch);
  const reasons = useDropSeries({ selection: rangeSelection(view), groupBy: "reason", limit: 50, ...filters }, refetch);
  const clusters = useDropSeries({ selection: rangeSelection(view), groupBy: "cluster", limit: 50, ...filters }, refetch);
  const paths = useTopDropPaths({ selection: rangeSelection(view), limit: 100, ...filters }, refetch);
  const markers = useStageMarkers({ selection: rangeSelection(view), cluster: filters.cluster, namespace: filters.namespace }, refetch);
  const policies = useTopPolicies({ selection: rangeSelection(view), limit: 10, ...filters }, refetch);

  const byVerdict = (result: typeof verdicts.data, verdict: string) => result?.series.find((s) => s.key === verdict)?.total ?? 0;
  const total = verdicts.data?.total ?? 0;
  const change = formatChange(total, previous.data?.total ?? 0);
  const nothingStored = main.data && main.data.total === 0 && Object.values(filters).every((values) => !values?.length);

  return (
    <main className="page">
      <div className="toolbar">
        <TimeRangePicker />
        <ViewActions />
      </div>
      <FilterBar />

      <section className="stats" aria-label="Totals">
        <Stat label="Drops" value={verdicts.data ? formatCount(total) : "…"} note={previous.data ? change.text : ""} tone={change.direction} testId="stat-total" />
        <Stat label="Enforced (DROPPED)" value={verdicts.data ? formatCount(byVerdict(verdicts.data, "DROPPED")) : "…"} note={`previous: ${formatCount(byVerdict(previous.data, "DROPPED"))}`} testId="stat-dropped" />
        <Stat label="Would drop (AUDIT)" value={verdicts.data ? formatCount(byVerdict(verdicts.data, "AUDIT")) : "…"} note={`previous: ${formatCount(byVerdict(previous.data, "AUDIT"))}`} testId="stat-audit" />
        <Stat label="Drop paths" value={paths.data ? formatCount(paths.data.paths.length) + (paths.data.paths.length === 100 ? "+" : "") : "…"} note={paths.data ? `${paths.data.paths.filter((p) => p.isNew).length} first seen in this range` : ""} testId="stat-paths" />
      </section>

      <section className="panel" aria-label="Drops over time">
        <header className="panel-header">
          <h2>Drops over time</h2>
          <label className="select-label">
            by
            <select value={view.groupBy} onChange={(e) => void setView({ groupBy: e.target.value as SeriesGroup })}>
              {SERIES_GROUP_NAMES.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          </label>
        </header>
        {main.isError ? (
          <ErrorState message={main.error.message} onRetry={() => void main.refetch()} />
        ) : !main.data ? (
          <Skeleton height={320} label="Loading chart" />
        ) : nothingStored ? (
          <EmptyState title="No drops in this range.">
            <SendDropsHint />
          </EmptyState>
        ) : main.data.total === 0 ? (
          <EmptyState title="No drops match these filters in this range." />
        ) : (
          <DropsChart result={main.data} height={320} label={`Drops by ${view.groupBy}`} markers={markers.data?.markers} onZoom={(from, to) => void setView({ from: from.toISOString(), to: to.toISOString() })} />
        )}
      </section>

      <div className="grid-4">
        <section className="panel" aria-label="Top namespaces">
          <h2>Top namespaces</h2>
          {namespaces.data ? (
            <RankedList
              label="Top namespaces"
              items={namespaces.data.series.filter((s) => s.key !== OTHER_SERIES).slice(0, 10)}
              onSelect={(key) => void setView({ namespace: [key] })}
              href={(key) => viewHref(`/namespaces/${encodeURIComponent(key)}`, ["namespace"])}
            />
          ) : (
            <Skeleton height={160} />
          )}
        </section>
        <section className="panel" aria-label="Top reasons">
          <h2>Top reasons</h2>
          {reasons.data ? <RankedList label="Top reasons" items={reasons.data.series.slice(0, 10)} onSelect={(key) => void setView({ reason: [key] })} /> : <Skeleton height={160} />}
        </section>
        <section className="panel" aria-label="Top policies">
          <h2>Top policies</h2>
          {!policies.data ? (
            <Skeleton height={160} />
          ) : policies.data.policies.length === 0 ? (
            <p className="muted">No drop in this range names a policy (default denies usually do not).</p>
          ) : (
            <RankedList label="Top policies" items={policies.data.policies.map((p) => ({ key: p.policy, total: p.count }))} onSelect={(key) => void setView({ policy: [key] })} />
          )}
        </section>
        <section className="panel" aria-label="Clusters">
          <h2>Clusters</h2>
          {clusters.data ? <RankedList label="Clusters" items={clusters.data.series} onSelect={(key) => void setView({ cluster: [key] })} /> : <Skeleton height={160} />}
        </section>
      </div>

      <section className="panel" aria-label="Top drop paths">
        <header className="panel-header">
          <h2>Top drop paths</h2>
          <input className="search" type="search" placeholder="Filter by workload or namespace" aria-label="Filter drop paths" value={pathFilter} onChange={(e) => setPathFilter(e.target.value)} />
        </header>
        {paths.isError ? (
          <ErrorState message={paths.error.message} onRetry={() => void paths.refetch()} />
        ) : paths.data ? (
          <DropPathsTable paths={paths.data.paths} filterText={pathFilter} />
        ) : (
          <Skeleton height={200} label="Loading drop paths" />
        )}
      </section>
    </main>
  );
}

function Stat({ label, value, note, tone, testId }: { label: string; value: string; note: string; tone?: "up" | "down" | "flat"; testId: string }) {
  return (
    <div className="stat">
      <div className="muted">{label}</div>
      <div className="stat-value" data-testid={testId}>
        {value}
      </div>
      <div className={`stat-note${tone ? ` tone-${tone}` : ""}`}>{note}</div>
    </div>
  );
}
