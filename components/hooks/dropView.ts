"use client";
// The current view's URL state, read where it lives (nuqs), and its API query parameters.
import { useQueryStates } from "nuqs";
import { dropViewParsers, REFRESH_INTERVALS } from "@/app/(dashboard)/search-params";
import type { DropFilters } from "@/lib/queries/drops/filters";
import type { RangeSelection } from "@/lib/queries/timeRange";

export function useDropView() {
  return useQueryStates(dropViewParsers);
}

export type DropView = ReturnType<typeof useDropView>[0];

export function viewFilters(view: DropView): DropFilters {
  return { cluster: view.cluster, namespace: view.namespace, verdict: view.verdict, direction: view.direction, reason: view.reason, policy: view.policy };
}

export function refreshMs(view: DropView): number | false {
  // Pinned (absolute) ranges never change: nothing to refresh.
  if (view.from && view.to) return false;
  return REFRESH_INTERVALS[view.refresh] || false;
}

/** Only the time range of the view: what query keys hold as `selection`. */
export function rangeSelection(view: DropView): RangeSelection {
  return { range: view.range, from: view.from, to: view.to };
}
