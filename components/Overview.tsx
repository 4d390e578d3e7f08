"use client";
// The overview: drops over time per namespace (or any grouping), totals vs the previous period,
// top namespaces, paths and reasons. Everything it shows follows the URL, and every number on it
// covers one range: the page's window (whole buckets of the chart's step).
import { useState } from "react";
import { SERIES_GROUP_NAMES, type SeriesGroup } from "@/lib/queries/drops/seriesGroups";
import { DropsChart } from "./charts/DropsChart";
import { withStillAudited } from "./charts/chartData";
import { FilterBar } from "./filters/FilterBar";
import { TimeRangePicker } from "./filters/TimeRangePicker";
import { ViewActions } from "./filters/ViewActions";
import { NoDrops } from "./NoDrops";
import { RangeLine } from "./RangeLine";
import { StillAuditedNote } from "./StillAuditedNote";
import { refreshMs, useDropView, useViewWindow } from "./hooks/dropView";
import { windowKey } from "./hooks/fetchForRange";
import { overviewParams, PATHS_LIMIT } from "./hooks/overviewRequests";
import { useDropSeries } from "./hooks/useDropSeries";
import { useStageMarkers } from "./hooks/useStageMarkers";
import { useStillAudited } from "./hooks/useStillAudited";
import { useTopDropPaths } from "./hooks/useTopDropPaths";
import { useTopPolicies } from "./hooks/useTopPolicies";
import { useViewHref } from "./hooks/useViewHref";
import { DropPathsTable } from "./tables/DropPathsTable";
import { RankedList } from "./tables/RankedList";
import { Stat } from "./ui/Stat";
import { formatChange, formatCount } from "./ui/format";
import { ErrorState, QueryState, Skeleton } from "./ui/states";

/** `serverNow`: the time the server rendered the page with its data (prefetched for that window). */
export function Overview({ serverNow = null }: { serverNow?: number | null }) {
  const [view, setView] = useDropView();
  const [pathFilter, setPathFilter] = useState("");
  const viewHref = useViewHref();
  const refetch = refreshMs(view);
  const shown = useViewWindow(view, serverNow);
  const params = overviewParams(view, shown ? windowKey(shown) : null);
  const filters = params.filters;
  const main = useDropSeries(params.main, refetch);
  const verdicts = useDropSeries(params.verdicts, refetch);
  const previous = useDropSeries(params.previous, refetch);
  const namespaces = useDropSeries(params.namespaces, refetch);
  const reasons = useDropSeries(params.reasons, refetch);
  const clusters = useDropSeries(params.clusters, refetch);
  const paths = useTopDropPaths(params.paths, refetch);
  const markers = useStageMarkers(params.markers, refetch);
  const policies = useTopPolicies(params.policies, refetch);
  const still = useStillAudited(params.still, refetch);

  const byVerdict = (result: typeof verdicts.data, verdict: string) => result?.series.find((s) => s.key === verdict && !s.other)?.total ?? 0;
  const filtered = Object.values(filters).some((values) => values && values.length > 0);
  const zoom = (from: Date, to: Date) => void setView({ from: from.toISOString(), to: to.toISOString() });
  const previousNote = (value: number) => (previous.data ? `previous: ${formatCount(value)}` : previous.isError ? "" : "previous: …");

  return (
    <main className="page">
      <div className="toolbar">
        <TimeRangePicker shown={shown} />
        <ViewActions shown={shown} />
      </div>
      <FilterBar window={params.base.window} />
      <RangeLine window={shown} />

      <section className="stats" aria-label="Totals">
        <Stat
          label="Drops"
          query={verdicts}
          value={(data) => formatCount(data.total)}
          note={(data) => (previous.data ? formatChange(data.total, previous.data.total) : { text: previous.isError ? "" : "previous period: …" })}
          previousError={previous.isError ? () => void previous.refetch() : undefined}
          testId="stat-total"
        />
        <Stat label="Enforced (DROPPED)" query={verdicts} value={(data) => formatCount(byVerdict(data, "DROPPED"))} note={() => ({ text: previousNote(byVerdict(previous.data, "DROPPED")) })} testId="stat-dropped" />
        <Stat
          label="Would drop (AUDIT)"
          query={verdicts}
          value={(data) => formatCount(byVerdict(data, "AUDIT"))}
          note={() => ({ text: previousNote(byVerdict(previous.data, "AUDIT")) })}
          warning={still.data && still.data.total > 0 ? `${formatCount(still.data.total)} after enforcement` : undefined}
          warningHref="#still-audited"
          testId="stat-audit"
        />
        <Stat
          label="Drop paths"
          query={paths}
          value={(data) => formatCount(data.paths.length) + (data.paths.length === PATHS_LIMIT ? "+" : "")}
          note={(data) => ({ text: `${formatCount(data.paths.filter((p) => p.isNew).length)} first seen in this range` })}
          testId="stat-paths"
        />
      </section>

      {still.data && still.data.total > 0 && <StillAuditedNote result={still.data} />}

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
        {main.isError && !main.data ? (
          <ErrorState message={main.error.message} onRetry={() => void main.refetch()} />
        ) : !main.data ? (
          <Skeleton height={320} label="Loading chart" />
        ) : main.data.total === 0 ? (
          <NoDrops filtered={filtered} />
        ) : (
          <DropsChart
            result={view.groupBy === "verdict" ? withStillAudited(main.data, still.data) : main.data}
            group={view.groupBy}
            live={shown?.live}
            height={320}
            label={`Drops by ${view.groupBy}`}
            markers={markers.data?.markers}
            onZoom={zoom}
          />
        )}
        {markers.isError && <ErrorState compact message={`Rollout markers: ${markers.error.message}`} onRetry={() => void markers.refetch()} />}
      </section>

      <div className="grid-4">
        <section className="panel" aria-label="Top namespaces">
          <h2>Top namespaces</h2>
          <QueryState query={namespaces} label="Loading namespaces">
            {(data) => (
              <RankedList
                label="Top namespaces"
                items={data.series.filter((s) => !s.other).slice(0, 10)}
                onSelect={(key) => void setView({ namespace: [key] })}
                href={(key) => viewHref(`/namespaces/${encodeURIComponent(key)}`, ["namespace"])}
              />
            )}
          </QueryState>
        </section>
        <section className="panel" aria-label="Top reasons">
          <h2>Top reasons</h2>
          <QueryState query={reasons} label="Loading reasons">
            {(data) => <RankedList label="Top reasons" items={data.series.filter((s) => !s.other).slice(0, 10)} onSelect={(key) => void setView({ reason: [key] })} />}
          </QueryState>
        </section>
        <section className="panel" aria-label="Top policies">
          <h2>Top policies</h2>
          <QueryState query={policies} label="Loading policies">
            {(data) =>
              data.policies.length === 0 ? (
                <p className="muted">No drop in this range names a policy (default denies usually do not).</p>
              ) : (
                <RankedList label="Top policies" items={data.policies.slice(0, 10).map((p) => ({ key: p.policy, total: p.count }))} onSelect={(key) => void setView({ policy: [key] })} />
              )
            }
          </QueryState>
        </section>
        <section className="panel" aria-label="Clusters">
          <h2>Clusters</h2>
          <QueryState query={clusters} label="Loading clusters">
            {(data) => <RankedList label="Clusters" items={data.series.filter((s) => !s.other)} onSelect={(key) => void setView({ cluster: [key] })} />}
          </QueryState>
        </section>
      </div>

      <section className="panel" aria-label="Top drop paths">
        <header className="panel-header">
          <h2>Top drop paths</h2>
          <input className="search" type="search" placeholder="Filter by workload or namespace" aria-label="Filter drop paths" value={pathFilter} onChange={(e) => setPathFilter(e.target.value)} />
        </header>
        <QueryState query={paths} height={200} label="Loading drop paths">
          {(data) => <DropPathsTable paths={data.paths} filterText={pathFilter} />}
        </QueryState>
      </section>
    </main>
  );
}
