// The policies behind the most drops in a range: each drop path's exact count in the range,
// credited to every policy that path was denied by (Calico and newer Cilium name them; default
// denies often name none).
import { readQuery } from "../readPool";
import { SqlParams } from "../sqlParams";
import type { TimeRange } from "../timeRange";
import { filterConditions, type DropFilters } from "./filters";
import { pathCountsSql } from "./getTopDropPaths";

export interface PolicyCount {
  policy: string;
  count: number;
  paths: number;
}

export async function getTopPolicies(query: DropFilters & TimeRange & { limit: number }): Promise<PolicyCount[]> {
  const params = new SqlParams();
  const counts = pathCountsSql(query, query, params);
  const conditions = filterConditions(query, { namespace: "p.namespace", direction: "p.direction::text", policy: "p.policies" }, params);
  const sql = `
    SELECT policy, sum(c.count)::float8 AS count, count(*)::int AS paths
    FROM (${counts}) c
    JOIN drop_paths p ON p.cluster = c.cluster AND p.id = c.drop_path_id
    CROSS JOIN LATERAL unnest(p.policies) AS policy
    ${conditions.length > 0 ? `WHERE ${conditions.join(" AND ")}` : ""}
    GROUP BY policy
    ORDER BY 2 DESC, 1
    LIMIT ${params.add(query.limit)}`;
  const { rows } = await readQuery<PolicyCount>(sql, params.values);
  return rows;
}
