// The current view's API query parameters, from its URL state. Pure (no hooks): the server uses
// them to prefetch a page's first data, the browser's panels to fetch it.
import type { inferParserType } from "nuqs/server";
import { dropViewParsers, REFRESH_INTERVALS } from "@/app/(dashboard)/search-params";
import type { DropFilters } from "@/lib/queries/drops/filters";
import { pinnedRange, type RangeSelection } from "@/lib/queries/timeRange";

/** The view as the URL says it (nuqs parses it the same way in the browser and on the server). */
export type DropView = inferParserType<typeof dropViewParsers>;

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

