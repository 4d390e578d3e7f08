"use client";
// The current view's URL state, read where it lives (nuqs), its API query parameters, and the one
// range a page covers.
import { useQueryStates } from "nuqs";
import { useEffect, useMemo, useState, useSyncExternalStore } from "react";
import { dropViewParsers } from "@/app/(dashboard)/search-params";
import { viewWindow, type ViewWindow } from "@/lib/queries/timeRange";
import { refreshMs, type DropView } from "./viewParams";

export function useDropView() {
  return useQueryStates(dropViewParsers);
}

export { isPinned, rangeSelection, refreshMs, viewFilters, type DropView } from "./viewParams";

/**
 * "Now" for one page: read when the range changes, and again every refresh interval while the tab
 * is visible (and when it becomes visible). The server's "now" when it rendered the page with its
 * data (prefetched for exactly that window), so the HTML and the browser's first render agree and
 * the prefetched answers are used; else null while rendering on the server and hydrating.
 */
class PageClock {
  private readonly listeners = new Set<() => void>();
  constructor(
    private now: number | null,
    private key: string | null,
  ) {}
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
export function useViewWindow(view: DropView, serverNow: number | null = null): ViewWindow | null {
  const key = `${view.range}|${view.from ?? ""}|${view.to ?? ""}`;
  const [clock] = useState(() => new PageClock(serverNow, serverNow === null ? null : key));
  const refresh = refreshMs(view);
  const now = useSyncExternalStore(clock.subscribe, () => clock.read(key), () => serverNow);
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
