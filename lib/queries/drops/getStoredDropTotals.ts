import { readQuery } from "../readPool";

export interface StoredDropTotals {
  /** Drops (flows) stored: the sum of every record's count. */
  drops: number;
  clusters: number;
  namespaces: number;
}

// Read from the day rollup: exact, and small however many raw events there are.
const SQL = `
SELECT coalesce(sum(count), 0)::float8 AS drops,
       count(DISTINCT cluster)::int AS clusters,
       count(DISTINCT (cluster, namespace))::int AS namespaces
FROM live_drop_rollup_day`;

export async function getStoredDropTotals(): Promise<StoredDropTotals> {
  const { rows } = await readQuery<{ drops: number; clusters: number; namespaces: number}>(SQL);
  const row = rows[0];
  return {
    drops: row?.drops ?? 0,
    clusters: row?.clusters ?? 0,
    namespaces: row?.namespaces ?? 0,
  };
}
