// Everything the overview asks the API, from its view and window: the page's panels fetch these
// (Overview.tsx) and the server prefetches the very same requests for the first paint.
import type { WindowKey } from "./dropKeys";
import { dropRequests, type ApiRequest } from "./dropRequests";
import { filterOptionRequests } from "./filterOptions";
import { rangeSelection, viewFilters, type DropView } from "./viewParams";

export const PATHS_LIMIT = 100;

export function overviewParams(view: DropView, window: WindowKey | null) {
  const filters = viewFilters(view);
  const base = { selection: rangeSelection(view), window, ...filters };
  return {
    filters,
    base,
    main: { ...base, groupBy: view.groupBy, limit: 8 },
    verdicts: { ...base, groupBy: "verdict" as const },
    // The tiles' "previous" notes show totals only.
    previous: { ...base, groupBy: "verdict" as const, previous: true, totals: true as const },
    namespaces: { ...base, groupBy: "namespace" as const, limit: 50, totals: true as const },
    reasons: { ...base, groupBy: "reason" as const, limit: 50, totals: true as const },
    clusters: { ...base, groupBy: "cluster" as const, limit: 50, totals: true as const },
    paths: { ...base, limit: PATHS_LIMIT },
    markers: { selection: base.selection, window, cluster: filters.cluster, namespace: filters.namespace },
    // The panel shows the top 10 of the filter bar's 50 (one read when no filter is set).
    policies: { ...base, limit: 50 },
    still: base,
  };
}

/** The overview's panels' requests and its filter bar's (requests asked twice are answered once). */
export function overviewRequests(view: DropView, window: WindowKey): ApiRequest[] {
  const p = overviewParams(view, window);
  return [
    ...[p.main, p.verdicts, p.previous, p.namespaces, p.reasons, p.clusters].map(dropRequests.series),
    dropRequests.paths(p.paths),
    dropRequests.markers(p.markers),
    dropRequests.policies(p.policies),
    dropRequests.stillAudited(p.still),
    ...filterOptionRequests(view, window),
  ];
}
