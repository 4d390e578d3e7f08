import { readQuery } from "../readPool";

export interface StoredDropTotals {
  /** Drops (flows) stored: the sum of every record's count. */
  drops: number;
  clusters: number;
  /** Distinct namespace names, whichever cluster they are in. */
  namespaces: number;
  /** Cluster/namespace pairs (the same name in two clusters counts twice). */
  clusterNamespaces: number;
}

// Read from the day rollup: exact, and small however many raw events there are.
const SQL = `
SELECT coalesce(sum(count), 0)::float8 AS drops,
       count(DISTINCT cluster)::int AS clusters,
       count(DISTINCT namespace)::int AS namespaces,
       count(DISTINCT (cluster, namespace))::int AS cluster_namespaces
FROM live_drop_rollup_day`;

export async function getStoredDropTotals(): Promise<StoredDropTotals> {
  const { rows } = await readQuery<{ drops: number; clusters: number; namespaces: number; cluster_namespaces: number }>(SQL);
  const row = rows[0];
  return {
    drops: row?.drops ?? 0,
    clusters: row?.clusters ?? 0,
    namespaces: row?.namespaces ?? 0,
    clusterNamespaces: row?.cluster_namespaces ?? 0,
  };
}
