// A stage's scope as the reads need it: the recorded scope (classes as their patterns were when
// the stage was recorded) and the namespaces with drops it covers, for charts and error budgets.
import { isWholeCluster, scopeCondition, type Scope } from "../../rollouts/scope";
import { readQuery } from "../readPool";
import { SqlParams } from "../sqlParams";
import { listNamespaceClasses } from "./getNamespaceClasses";
import type { StageTransition } from "./getRollout";

/** A transition's scope as recorded: its classes' patterns when it was recorded, not as they are now. */
export async function resolveScope(transition: Pick<StageTransition, "namespaces" | "classes" | "classPatterns">): Promise<Scope> {
  if (transition.classes.length === 0) return { namespaces: transition.namespaces, classes: [] };
  if (transition.classPatterns.length > 0) return { namespaces: transition.namespaces, classes: transition.classPatterns };
  return { namespaces: transition.namespaces, classes: await listNamespaceClasses(transition.classes) };
}

/** Namespaces known to have drops (on these clusters) that the scope covers; null for a whole-cluster scope. */
export async function namespacesInScope(clusters: string[], scope: Scope): Promise<string[] | null> {
  if (isWholeCluster(scope)) return null;
  const params = new SqlParams();
  // The distinct namespaces of each cluster by skipping through drop_paths' (cluster, namespace,
  // last_seen) index, one step per namespace: a few hundred steps, maybe a million paths.
  const clusterList = clusters.length > 0
    ? `SELECT unnest(${params.add(clusters)}::text[]) AS cluster`
    : `SELECT cluster FROM clusters WHERE cluster IS NOT NULL`;
  const { rows } = await readQuery<{ namespace: string }>(
    `WITH RECURSIVE clusters AS (
       SELECT min(cluster) AS cluster FROM drop_paths
       UNION ALL
       SELECT (SELECT min(cluster) FROM drop_paths WHERE cluster > c.cluster) FROM clusters c WHERE c.cluster IS NOT NULL
     ), pairs AS (
       SELECT c.cluster, (SELECT min(namespace) FROM drop_paths p WHERE p.cluster = c.cluster) AS namespace FROM (${clusterList}) c
       UNION ALL
       SELECT s.cluster, (SELECT min(namespace) FROM drop_paths p WHERE p.cluster = s.cluster AND p.namespace > s.namespace) FROM pairs s WHERE s.namespace IS NOT NULL
     )
     SELECT DISTINCT namespace FROM pairs WHERE namespace IS NOT NULL AND ${scopeCondition("namespace", scope, params)} ORDER BY namespace LIMIT 500`,
    params.values,
  );
  const known = rows.map((r) => r.namespace);
  // Named namespaces stay even before their first drop, so a chart of the scope is never "everything".
  return [...new Set([...scope.namespaces, ...known])];
}
