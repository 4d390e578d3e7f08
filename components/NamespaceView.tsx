"use client";
// One namespace: its drops over time by direction, reason or verdict; its drop paths; its raw events.
import Link from "next/link";
import { useState } from "react";
import { DropsChart } from "./charts/DropsChart";
import { EventsPanel } from "./EventsPanel";
import { FilterBar } from "./filters/FilterBar";
import { TimeRangePicker } from "./filters/TimeRangePicker";
import { ViewActions } from "./filters/ViewActions";
import { refreshMs, useDropView, viewFilters, rangeSelection } from "./hooks/dropView";
import { useDropSeries } from "./hooks/useDropSeries";
import { useStageMarkers } from "./hooks/useStageMarkers";
import { useTopDropPaths } from "./hooks/useTopDropPaths";
import { useViewHref } from "./hooks/useViewHref";
import { DropPathsTable } from "./tables/DropPathsTable";
import { formatCount } from "./ui/format";
import { EmptyState, ErrorState, Skeleton } from "./ui/states";

const SPLITS = ["verdict", "direction", "reason"] as const;
type Split = (typeof SPLITS)[number];

export function NamespaceView({ name }: { name: string }) {
  const [view, setView] = useDropView();
  const [split, setSplit] = useState<Split>("verdict");
  const [pathFilter, setPathFilter] = useState("");
  const href = useViewHref();
  const filters = { ...viewFilters(view), namespace: [name] };
  const refetch = refreshMs(view);
  const series = useDropSeries({ selection: rangeSelection(view), groupBy: split, limit: 10, ...filters }, refetch);
  const paths = useTopDropPaths({ selection: rangeSelection(view), limit: 200, ...filters }, refetch);
  const markers = useStageMarkers({ selection: rangeSelection(view), cluster: filters.cluster, namespace: [name] }, refetch);

  return (
    <main className="page">
      <div className="breadcrumb">
        <Link href={href("/", ["namespace"])}>Overview</Link> / namespace
      </div>
      <h1 className="page-title">{name}</h1>
      <div className="toolbar">
        <TimeRangePicker />
        <ViewActions />
      </div>
      <FilterBar fixedNamespace />
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
        {series.isError ? (
          <ErrorState message={series.error.message} onRetry={() => void series.refetch()} />
        ) : !series.data ? (
          <Skeleton height={260} />
        ) : series.data.total === 0 ? (
          <EmptyState title={`No drops in ${name} in this range.`} />
        ) : (
          <DropsChart result={series.data} height={260} label={`Drops in ${name} by ${split}`} markers={markers.data?.markers} onZoom={(from, to) => void setView({ from: from.toISOString(), to: to.toISOString() })} />
        )}
      </section>
      <section className="panel" aria-label="Drop paths">
        <header className="panel-header">
          <h2>Drop paths</h2>
          <input className="search" type="search" placeholder="Filter by workload or namespace" aria-label="Filter drop paths" value={pathFilter} onChange={(e) => setPathFilter(e.target.value)} />
        </header>
        {paths.data ? <DropPathsTable paths={paths.data.paths} filterText={pathFilter} /> : <Skeleton height={160} />}
      </section>
      <EventsPanel params={{ selection: rangeSelection(view), ...filters }} />
    </main>
  );
}
