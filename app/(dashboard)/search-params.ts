// The overview's URL state: the whole view lives here, so any link reproduces it.
import { parseAsArrayOf, parseAsString, parseAsStringLiteral, createSearchParamsCache } from "nuqs/server";
import { TRAFFIC_DIRECTIONS, VERDICTS } from "@/lib/ingest/types";
import { SERIES_GROUP_NAMES } from "@/lib/queries/drops/seriesGroups";
import { RANGE_PRESET_NAMES } from "@/lib/queries/timeRange";

export const REFRESH_INTERVALS = { off: 0, "10s": 10_000, "30s": 30_000, "1m": 60_000 } as const;
export type RefreshInterval = keyof typeof REFRESH_INTERVALS;
const REFRESH_NAMES = Object.keys(REFRESH_INTERVALS) as RefreshInterval[];

export const dropViewParsers = {
  range: parseAsStringLiteral(RANGE_PRESET_NAMES).withDefault("24h"),
  from: parseAsString,
  to: parseAsString,
  cluster: parseAsArrayOf(parseAsString).withDefault([]),
  namespace: parseAsArrayOf(parseAsString).withDefault([]),
  verdict: parseAsArrayOf(parseAsStringLiteral(VERDICTS)).withDefault([]),
  direction: parseAsArrayOf(parseAsStringLiteral(TRAFFIC_DIRECTIONS)).withDefault([]),
  reason: parseAsArrayOf(parseAsString).withDefault([]),
  policy: parseAsArrayOf(parseAsString).withDefault([]),
  groupBy: parseAsStringLiteral(SERIES_GROUP_NAMES).withDefault("namespace"),
  refresh: parseAsStringLiteral(REFRESH_NAMES).withDefault("off"),
};

export const dropViewCache = createSearchParamsCache(dropViewParsers);
