"use client";
// One namespace: its drops over time by verdict (AUDIT after enforcement hatched), direction or
// reason; its drop paths; its raw events. Every number covers the page's one range.
import Link from "next/link";
import { useState } from "react";
import { DropsChart } from "./charts/DropsChart";
import { withStillAudited } from "./charts/chartData";
import { EventsPanel } from "./EventsPanel";
import { FilterBar } from "./filters/FilterBar";
import { TimeRangePicker } from "./filters/TimeRangePicker";
import { ViewActions } from "./filters/ViewActions";
import { NoDrops } from "./NoDrops";
import { RangeLine } from "./RangeLine";
import { StillAuditedNote } from "./StillAuditedNote";
import { refreshMs, useDropView, useViewWindow, viewFilters, rangeSelection } from "./hooks/dropView";
import { windowKey } from "./hooks/fetchForRange";
import { useDropSeries } from "./hooks/useDropSeries";
import { useStageMarkers } from "./hooks/useStageMarkers";
import { useStillAudited } from "./hooks/useStillAudited";
import { useTopDropPaths } from "./hooks/useTopDropPaths";
import { useViewHref } from "./hooks/useViewHref";
import { DropPathsTable } from "./tables/DropPathsTable";
import { formatCount } from "./ui/format";
import { ErrorState, QueryState, Skeleton } from "./ui/states";

const SPLITS = ["verdict", "direction", "reason"] as const;
type Split = (typeof SPLITS)[number];
const PATHS_LIMIT = 200;

export function NamespaceView({ name }: { name: string }) {
  const [view, setView] = useDropView();
  const [split, setSplit] = useState<Split>("verdict");
  const [pathFilter, setPathFilter] = useState("");
  const href = useViewHref();
  const filters = { ...viewFilters(view), namespace: [name] };
  const refetch = refreshMs(view);
  const shown = useViewWindow(view);
  const base = { selection: rangeSelection(view), window: shown ? windowKey(shown) : null, ...filters };
  const series = useDropSeries({ ...base, groupBy: split, limit: 10 }, refetch);
  const paths = useTopDropPaths({ ...base, limit: PATHS_LIMIT }, refetch);
  const markers = useStageMarkers({ selection: base.selection, window: base.window, cluster: filters.cluster, namespace: [name] }, refetch);
  const still = useStillAudited(base, refetch);
  const filtered = Object.entries(filters).some(([key, values]) => key !== "namespace" && values && values.length > 0);
  const pathSum = paths.data?.paths.reduce((sum, p) => sum + p.count, 0);

  return (
    <main className="page">
      <div className="breadcrumb">
        <Link prefetch={false} href={href("/", ["namespace"])}>Overview</Link> / namespace
      </div>
      <h1 className="page-title">{name}</h1>
      <div className="toolbar">
        <TimeRangePicker shown={shown} />
        <ViewActions shown={shown} />
      </div>
      <FilterBar fixedNamespace window={base.window} />
      <RangeLine window={shown} previous={false} />
      {still.data && still.data.total > 0 && <StillAuditedNote result={still.data} namespacePage />}
      <section className="panel" aria-label="Drops over time">
        <header className="panel-header">
          <h2>Drops over time {series.data ? `· ${formatCount(series.data.total)}` : ""}</h2>
          <label className="select-label">
            split by
            <select value={split} onChange={(e) => setSplit(e.target.value as Split)}>
              {SPLITS.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
          </label>
        </header>
        {series.isError && !series.data ? (
          <ErrorState message={series.error.message} onRetry={() => void series.refetch()} />
        ) : !series.data ? (
          <Skeleton height={260} label="Loading chart" />
        ) : series.data.total === 0 ? (
          <NoDrops filtered={filtered} title={`No drops in ${name} in this range.`} />
        ) : (
          <DropsChart
            result={split === "verdict" ? withStillAudited(series.data, still.data) : series.data}
            group={split}
            live={shown?.live}
            height={260}
            label={`Drops in ${name} by ${split}`}
            markers={markers.data?.markers}
            onZoom={(from, to) => void setView({ from: from.toISOString(), to: to.toISOString() })}
          />
        )}
        {markers.isError && <ErrorState compact message={`Rollout markers: ${markers.error.message}`} onRetry={() => void markers.refetch()} />}
      </section>
      <section className="panel" aria-label="Drop paths">
        <header className="panel-header">
          <h2>
            Drop paths
            {paths.data && pathSum !== undefined
              ? ` · ${formatCount(paths.data.paths.length)}${paths.data.paths.length === PATHS_LIMIT ? " most dropped" : ""} · ${formatCount(pathSum)} drops`
              : ""}
          </h2>
          <input className="search" type="search" placeholder="Filter by workload or namespace" aria-label="Filter drop paths" value={pathFilter} onChange={(e) => setPathFilter(e.target.value)} />
        </header>
        <QueryState query={paths} label="Loading drop paths">
          {(data) => <DropPathsTable paths={data.paths} filterText={pathFilter} />}
        </QueryState>
      </section>
      <EventsPanel params={{ selection: base.selection, window: base.window, ...filters }} />
    </main>
  );
}
