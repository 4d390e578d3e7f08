// What a drops series can be grouped by. Pure constants: client components import these too.

/** Group name -> the (allow-listed) SQL expression it groups by. */
export const SERIES_GROUPS = { namespace: "namespace", cluster: "cluster", reason: "reason", verdict: "verdict::text", direction: "direction::text" } as const;
export type SeriesGroup = keyof typeof SERIES_GROUPS;
export const SERIES_GROUP_NAMES = Object.keys(SERIES_GROUPS) as [SeriesGroup, ...SeriesGroup[]];

/** Series past the top N are summed into this one, so totals stay exact. Not a valid k8s name. */
export const OTHER_SERIES = "(other)";
