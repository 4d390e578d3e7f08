// What a drops series can be grouped by. Pure constants: client components import these too.

/** Group name -> the (allow-listed) SQL expression it groups by. */
export const SERIES_GROUPS = { namespace: "namespace", cluster: "cluster", reason: "reason", verdict: "verdict::text", direction: "direction::text" } as const;
export type SeriesGroup = keyof typeof SERIES_GROUPS;
export const SERIES_GROUP_NAMES = Object.keys(SERIES_GROUPS) as [SeriesGroup, ...SeriesGroup[]];

/**
 * The label of the series that sums those past the top N, so totals stay exact. Reasons, clusters
 * and native namespaces can carry this very name: the summed series is told apart by its
 * `other: true` flag, never by its key.
 */
export const OTHER_SERIES = "(other)";
