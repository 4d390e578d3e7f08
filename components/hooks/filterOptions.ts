// What the filter bar asks for its options (what the range holds, whatever the filters): pure, so
// the server prefetches the same requests with a page's first data.
import type { SeriesGroup } from "@/lib/queries/drops/seriesGroups";
import type { PathsParams, SeriesParams, WindowKey } from "./dropKeys";
import { dropRequests, type ApiRequest } from "./dropRequests";
import { rangeSelection, type DropView } from "./viewParams";

export const optionSeriesParams = (view: DropView, window: WindowKey | null | undefined, groupBy: SeriesGroup): SeriesParams => ({
  selection: rangeSelection(view),
  window,
  groupBy,
  limit: 50,
  totals: true,
});

export const optionPolicyParams = (view: DropView, window: WindowKey | null | undefined): PathsParams => ({ selection: rangeSelection(view), window, limit: 50 });

export function filterOptionRequests(view: DropView, window: WindowKey, fixedNamespace = false): ApiRequest[] {
  const groups: SeriesGroup[] = fixedNamespace ? ["cluster", "reason"] : ["cluster", "namespace", "reason"];
  return [...groups.map((group) => dropRequests.series(optionSeriesParams(view, window, group))), dropRequests.policies(optionPolicyParams(view, window))];
}
