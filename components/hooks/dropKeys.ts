// React Query keys for the drops API, built in one place so every parameter is in the key.
import type { DropFilters } from "@/lib/queries/drops/filters";
import type { SeriesGroup } from "@/lib/queries/drops/getDropSeries";
import type { RangeSelection } from "@/lib/queries/timeRange";

export interface SeriesParams extends DropFilters {
  selection: RangeSelection;
  groupBy: SeriesGroup;
  limit?: number;
  /** Read the period just before the selected one (for "change vs previous"). */
  previous?: boolean;
  /** One drop path's series (its id). */
  path?: string;
}

export interface EventsParams extends DropFilters {
  selection: RangeSelection;
  path?: string;
  q?: string;
  limit?: number;
}

export interface PathsParams extends DropFilters {
  selection: RangeSelection;
  limit?: number;
  q?: string;
}

/** Empty filters and absent ones mean the same: one key for both, so equal requests share a query. */
function canonical<T extends object>(params: T): T {
  return Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0))) as T;
}

export const dropKeys = {
  all: ["drops"] as const,
  series: (params: SeriesParams) => [...dropKeys.all, "series", canonical(params)] as const,
  paths: (params: PathsParams) => [...dropKeys.all, "paths", canonical(params)] as const,
  policies: (params: PathsParams) => [...dropKeys.all, "policies", canonical(params)] as const,
  events: (params: EventsParams) => [...dropKeys.all, "events", canonical(params)] as const,
  markers: (params: MarkersParams) => ["rollouts", "markers", canonical(params)] as const,
};

export interface MarkersParams {
  selection: RangeSelection;
  cluster?: string[];
  namespace?: string[];
}
