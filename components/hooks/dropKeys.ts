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

export const dropKeys = {
  all: ["drops"] as const,
  series: (params: SeriesParams) => [...dropKeys.all, "series", params] as const,
  paths: (params: PathsParams) => [...dropKeys.all, "paths", params] as const,
  events: (params: EventsParams) => [...dropKeys.all, "events", params] as const,
};
