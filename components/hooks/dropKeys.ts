// React Query keys for the drops API, built in one place so every parameter is in the key.
import type { DropFilters } from "@/lib/queries/drops/filters";
import type { SeriesGroup } from "@/lib/queries/drops/getDropSeries";
import type { RangeSelection, Step } from "@/lib/queries/timeRange";

/** A page's one range (see useViewWindow): whole buckets of the chart's step, as ISO times. */
export interface WindowKey {
  from: string;
  to: string;
  step: Step;
}

/**
 * The range a request covers: the page's window when given (every panel then reads exactly the
 * same span), else the selection resolved when the request is made. `window: null`: the page's
 * window is not known yet (server render), so the request waits.
 */
export interface RangeParams {
  selection: RangeSelection;
  window?: WindowKey | null;
}

export interface SeriesParams extends DropFilters, RangeParams {
  groupBy: SeriesGroup;
  limit?: number;
  /** Read the period just before the selected one (for "change vs previous"). */
  previous?: boolean;
  /** One drop path's series (its id). */
  path?: string;
  /** Each series' total only, no points: for ranked lists and filter options, which draw no buckets. */
  totals?: true;
}

export interface StillAuditedParams extends DropFilters, RangeParams {
  path?: string;
}

export interface EventsParams extends DropFilters, RangeParams {
  path?: string;
  q?: string;
  limit?: number;
}

export interface PathsParams extends DropFilters, RangeParams {
  limit?: number;
  q?: string;
}

/** Empty filters and absent ones mean the same: one key for both, so equal requests share a query. */
function canonical<T extends RangeParams>(params: T): Partial<T> {
  const entries = Object.entries(params).filter(([key, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0) && !(key === "selection" && params.window));
  return Object.fromEntries(entries) as Partial<T>;
}

export const dropKeys = {
  all: ["drops"] as const,
  series: (params: SeriesParams) => [...dropKeys.all, "series", canonical(params)] as const,
  stillAudited: (params: StillAuditedParams) => [...dropKeys.all, "still-audited", canonical(params)] as const,
  paths: (params: PathsParams) => [...dropKeys.all, "paths", canonical(params)] as const,
  policies: (params: PathsParams) => [...dropKeys.all, "policies", canonical(params)] as const,
  events: (params: EventsParams) => [...dropKeys.all, "events", canonical(params)] as const,
  markers: (params: MarkersParams) => ["rollouts", "markers", canonical(params)] as const,
};

export interface MarkersParams extends RangeParams {
  cluster?: string[];
  namespace?: string[];
}
