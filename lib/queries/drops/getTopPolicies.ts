// The policies behind the most drops in a range: each drop path's exact count in the range,
// credited to every policy that path was denied by (Calico and newer Cilium name them; default
// denies often name none).
//
// A default deny that names itself (Calico's `default-deny`) can stand behind 100k paths in a
// day, so counts are read from the per-policy rollups the compactor keeps (drop_policy_minute,
// _hour, _day, credited to drop_paths.policies_credited), plus what they do not hold yet: counts
// still pending compaction, and a path's compacted counts for policies it named since they were
// credited. Namespace and direction are facts of paths, not of the policy rollups: with those
// filters every path is counted.
import { readQuery } from "../readPool";
import { SqlParams } from "../sqlParams";
import { rollupSegments, type TimeRange } from "../timeRange";
import { filterConditions, type DropFilters } from "./filters";
import { pathConditions, pathCountsSql } from "./pathCounts";

export interface PolicyCount {
  policy: string;
  count: number;
}

type TopPoliciesQuery = DropFilters & TimeRange & { limit: number };

export async function getTopPolicies(query: TopPoliciesQuery, read?: "per path"): Promise<PolicyCount[]> {
  const params = new SqlParams();
  // `read`: tests and the bench ask for the per-path count, what the rollups must equal.
  const perPath = read === "per path" || (query.namespace?.length ?? 0) > 0 || (query.direction?.length ?? 0) > 0;
  const counts = perPath ? perPathCounts(query, params) : policyCounts(query, params);
  const sql = `
    SELECT policy, sum(count)::float8 AS count FROM (${counts}) c
    GROUP BY policy
    ORDER BY 2 DESC, 1
    LIMIT ${params.add(query.limit)}`;
  const { rows } = await readQuery<PolicyCount>(sql, params.values);
  return rows;
}

/** (policy, count) rows: every path's count in the range, credited to each of its policies. */
function perPathCounts(query: TopPoliciesQuery, params: SqlParams): string {
  const conditions = pathConditions(query, params);
  return `
    SELECT policy, c.count FROM (${pathCountsSql(query, query, params)}) c
    JOIN drop_paths p ON p.cluster = c.cluster AND p.id = c.drop_path_id
    CROSS JOIN LATERAL unnest(p.policies) AS policy
    ${conditions.length > 0 ? `WHERE ${conditions.join(" AND ")}` : ""}`;
}

/** (policy, count) rows from the policy rollups and what they do not hold yet, segment by segment. */
function policyCounts(query: TopPoliciesQuery, params: SqlParams): string {
  const segments = rollupSegments(query);
  // Here a row is one policy (text), not a path's policies (an array).
  const keep = (query.policy?.length ?? 0) > 0 ? `WHERE policy = ANY(${params.add(query.policy)}::text[])` : "";
  const within = (alias: string, segment: TimeRange) =>
    [
      `${alias}.bucket >= ${params.add(segment.from)}`,
      `${alias}.bucket < ${params.add(segment.to)}`,
      ...filterConditions(query, { cluster: `${alias}.cluster`, verdict: `${alias}.verdict::text`, reason: `${alias}.reason` }, params),
    ].join(" AND ");
  const reads: string[] = [];
  const all = [
    ...segments.minute.map((segment) => ({ granularity: "minute", segment })),
    ...segments.hour.map((segment) => ({ granularity: "hour", segment })),
    ...(segments.day ? [{ granularity: "day", segment: segments.day }] : []),
  ];
  for (const { granularity, segment } of all) {
    reads.push(`
    SELECT policy, r.count FROM drop_policy_${granularity} r WHERE ${within("r", segment)}`);
    // Pending counts: credited by the compactor later; here to the path's policies now.
    reads.push(`
    SELECT policy, r.count FROM drop_counts_pending r
    JOIN drop_paths p ON p.cluster = r.cluster AND p.id = r.drop_path_id CROSS JOIN LATERAL unnest(p.policies) AS policy
    WHERE ${within("r", segment)}`);
    // Policies a path named since its compacted counts were credited (few: drop_paths_uncredited_idx),
    // one index read each.
    reads.push(`
    SELECT policy, r.count FROM drop_paths p
    CROSS JOIN LATERAL unnest(p.policies) AS policy
    CROSS JOIN LATERAL (SELECT * FROM drop_path_${granularity} r WHERE r.cluster = p.cluster AND r.drop_path_id = p.id AND ${within("r", segment)} OFFSET 0) r
    WHERE p.policies_uncredited AND NOT (policy = ANY (p.policies_credited))`);
  }
  return `SELECT policy, count FROM (${reads.join(" UNION ALL ")}) reads ${keep}`;
}
