"use client";
// The current view's URL state, read where it lives (nuqs), its API query parameters, and the one
// range a page covers.
import { useQueryStates } from "nuqs";
import { useEffect, useMemo, useState, useSyncExternalStore } from "react";
import { dropViewParsers, REFRESH_INTERVALS } from "@/app/(dashboard)/search-params";
import type { DropFilters } from "@/lib/queries/drops/filters";
import { pinnedRange, viewWindow, type RangeSelection, type ViewWindow } from "@/lib/queries/timeRange";

export function useDropView() {
  return useQueryStates(dropViewParsers);
}

export type DropView = ReturnType<typeof useDropView>[0];

export function viewFilters(view: DropView): DropFilters {
  return { cluster: view.cluster, namespace: view.namespace, verdict: view.verdict, direction: view.direction, reason: view.reason, policy: view.policy };
}

/** A valid pinned range (both ends real times, from before to); anything else shows the live preset. */
export function isPinned(view: Pick<DropView, "from" | "to">): boolean {
  return pinnedRange(view) !== null;
}

export function refreshMs(view: DropView): number | false {
  // Pinned (absolute) ranges never change: nothing to refresh.
  if (isPinned(view)) return false;
  return REFRESH_INTERVALS[view.refresh] || false;
}

/** Only the time range of the view: what query keys hold as `selection`. */
export function rangeSelection(view: DropView): RangeSelection {
  return { range: view.range, from: view.from, to: view.to };
}

/**
 * "Now" for one page: read when the range changes, and again every refresh interval while the tab
 * is visible (and when it becomes visible). null while rendering on the server and hydrating, so
 * the server's clock never reaches the page (its HTML and the browser's first render agree).
 */
class PageClock {
  private now: number | null = null;
  private key: string | null = null;
  private readonly listeners = new Set<() => void>();
  read(key: string): number {
    if (this.now === null || this.key !== key) {
      this.now = Date.now();
      this.key = key;
    }
    return this.now;
  }
  tick = () => {
    this.now = Date.now();
    for (const listener of this.listeners) listener();
  };
  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  };
}

/**
 * The one range every panel of a page covers (see viewWindow): the chart's step, whole buckets,
 * the previous period on the same boundaries. A live range moves when the refresh interval ticks
 * into a new bucket; until then the panels refetch the same window (its last bucket fills).
 */
export function useViewWindow(view: DropView): ViewWindow | null {
  const [clock] = useState(() => new PageClock());
  const refresh = refreshMs(view);
  const key = `${view.range}|${view.from ?? ""}|${view.to ?? ""}`;
  const now = useSyncExternalStore(clock.subscribe, () => clock.read(key), () => null);
  useEffect(() => {
    if (!refresh) return;
    const tick = () => {
      if (document.visibilityState === "visible") clock.tick();
    };
    const timer = window.setInterval(tick, refresh);
    document.addEventListener("visibilitychange", tick);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener("visibilitychange", tick);
    };
  }, [clock, refresh]);
  const { range, from, to } = view;
  return useMemo(() => (now === null ? null : viewWindow({ range, from, to }, new Date(now))), [now, range, from, to]);
}
