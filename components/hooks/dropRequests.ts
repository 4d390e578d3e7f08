// What each drops panel asks the API: its query key and its URL, in one place, so the server
// (prefetching a page's first data, app/(dashboard)/prefetch.ts) and the hooks (fetching in the
// browser) ask exactly the same thing under exactly the same key.
import { dropKeys, type MarkersParams, type PathsParams, type SeriesParams, type StillAuditedParams } from "./dropKeys";
import { rangeUrl } from "./fetchForRange";

export interface ApiRequest {
  queryKey: readonly unknown[];
  /** Resolved when the request is made: without a page window, a live range ends "now". */
  url: () => string;
}

export const dropRequests = {
  series: (params: SeriesParams): ApiRequest => ({ queryKey: dropKeys.series(params), url: () => rangeUrl("/api/v1/drops/series", { ...params }, { step: true }) }),
  stillAudited: (params: StillAuditedParams): ApiRequest => ({
    queryKey: dropKeys.stillAudited(params),
    url: () => rangeUrl("/api/v1/drops/still-audited", { ...params }, { step: true }),
  }),
  paths: (params: PathsParams): ApiRequest => ({ queryKey: dropKeys.paths(params), url: () => rangeUrl("/api/v1/drops/paths", { ...params }) }),
  policies: (params: PathsParams): ApiRequest => ({ queryKey: dropKeys.policies(params), url: () => rangeUrl("/api/v1/drops/policies", { ...params }) }),
  markers: (params: MarkersParams): ApiRequest => ({ queryKey: dropKeys.markers(params), url: () => rangeUrl("/api/v1/rollouts/markers", { ...params }) }),
};
