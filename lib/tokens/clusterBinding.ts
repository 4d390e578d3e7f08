// A token created with --cluster X writes cluster X only: its drops (ingest), and every change it
// makes (acknowledgements of X's paths, rollouts on X alone). Things every cluster shares (namespace
// classes, short links) need a token bound to no cluster.

/** Why a token bound to `bound` may not write this cluster's data, or null when it may. */
export function clusterWriteProblem(bound: string | null, cluster: string): string | null {
  if (bound === null || cluster === bound) return null;
  return `this token is bound to cluster "${bound}"; it may not write cluster "${cluster}"`;
}

/** Why a token bound to `bound` may not change a rollout on these clusters, or null when it may. */
export function rolloutClustersProblem(bound: string | null, clusters: readonly string[]): string | null {
  if (bound === null) return null;
  if (clusters.length === 0) return `this token is bound to cluster "${bound}"; a rollout that names no clusters covers every cluster`;
  const others = [...new Set(clusters.filter((c) => c !== bound))];
  return others.length === 0 ? null : `this token is bound to cluster "${bound}"; this rollout is also on ${others.map((c) => `"${c}"`).join(", ")}`;
}

/** Why a token bound to `bound` may not change something all clusters share, or null when it may. */
export function sharedWriteProblem(bound: string | null, what: string): string | null {
  return bound === null ? null : `this token is bound to cluster "${bound}"; ${what} belong to every cluster and need a token bound to none`;
}
