"use client";
// The raw events behind what a page shows, paged ("Load older"), searchable by pod/workload.
import { useState } from "react";
import type { EventsParams } from "./hooks/dropKeys";
import { useDropEvents } from "./hooks/useDropEvents";
import { DropEventsTable } from "./tables/DropEventsTable";
import { EmptyState, ErrorState, Skeleton } from "./ui/states";

export function EventsPanel({ params }: { params: Omit<EventsParams, "q"> }) {
  const [search, setSearch] = useState("");
  const events = useDropEvents({ ...params, q: search.trim() || undefined });
  const rows = events.data?.pages.flatMap((page) => page.events) ?? [];
  const kept = events.data?.pages[0]?.keptPerPathMinute;
  return (
    <section className="panel" aria-label="Drop events">
      <header className="panel-header">
        <h2>Events (newest first)</h2>
        <input className="search" type="search" placeholder="Search pod or workload" aria-label="Search events" value={search} onChange={(e) => setSearch(e.target.value)} />
      </header>
      {typeof kept === "number" && (
        <p className="muted panel-note" data-testid="exemplar-note">
          Example events: up to {kept} per drop path per minute are kept. Charts and counts include every drop.
        </p>
      )}
      {events.isError ? (
        <ErrorState message={events.error.message} onRetry={() => void events.refetch()} />
      ) : !events.data ? (
        <Skeleton height={200} label="Loading events" />
      ) : rows.length === 0 ? (
        <EmptyState title="No raw events in this range." />
      ) : (
        <>
          <DropEventsTable events={rows} />
          {events.hasNextPage && (
            <button type="button" className="button" disabled={events.isFetchingNextPage} onClick={() => void events.fetchNextPage()}>
              {events.isFetchingNextPage ? "Loading…" : "Load older events"}
            </button>
          )}
        </>
      )}
    </section>
  );
}
