// What one batch tells about its drop paths: each event's path (hashed once per batch), the count
// rows per path, minute, verdict and reason, and the path upserts the batch brings news of, as
// the parameters of COUNTS_AND_PATHS_SQL (one statement for both).
import { dropPathIdOfText, dropPathText, type DropPathIdentity } from "./keys";
import { isKnown, type PathFacts } from "./knownPaths";
import type { StorableDropEvent } from "./normalise";
import type { TrafficDirection, Verdict } from "./types";
import { toArrayLiteral } from "./rows";

export const COUNTS_AND_PATHS_SQL = `
WITH pending AS (
  INSERT INTO drop_counts_pending (bucket, cluster, namespace, direction, verdict, reason, drop_path_id, count)
  SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::"TrafficDirection"[], $5::"Verdict"[],
                       $6::text[], $7::bigint[], $8::bigint[])
)
INSERT INTO drop_paths AS p (cluster, id, namespace, direction, src_namespace, src_workload,
  dst_namespace, dst_workload, dst_port, protocol, first_seen, last_seen, policies, reasons, policies_credited)
SELECT cluster, id, namespace, direction, src_namespace, src_workload, dst_namespace, dst_workload, dst_port,
  protocol, first_seen, last_seen, policies::text[], reasons::text[], policies::text[]
FROM unnest($9::text[], $10::bigint[], $11::text[], $12::"TrafficDirection"[], $13::text[], $14::text[], $15::text[],
            $16::text[], $17::int[], $18::text[], $19::timestamptz[], $20::timestamptz[], $21::text[], $22::text[])
  AS t(cluster, id, namespace, direction, src_namespace, src_workload, dst_namespace, dst_workload, dst_port,
       protocol, first_seen, last_seen, policies, reasons)
ORDER BY cluster, id
ON CONFLICT (cluster, id) DO UPDATE SET
  first_seen = least(p.first_seen, excluded.first_seen),
  last_seen = greatest(p.last_seen, excluded.last_seen),
  policies = CASE WHEN excluded.policies <@ p.policies THEN p.policies
    ELSE (SELECT array_agg(DISTINCT x ORDER BY x) FROM unnest(p.policies || excluded.policies) x) END,
  reasons = CASE WHEN excluded.reasons <@ p.reasons THEN p.reasons
    ELSE (SELECT array_agg(DISTINCT x ORDER BY x) FROM unnest(p.reasons || excluded.reasons) x) END,
  -- A policy named after the path's first counts: the compactor credits it with them (compact.ts).
  policies_uncredited = p.policies_uncredited OR NOT (excluded.policies <@ p.policies_credited)
-- A batch that brings nothing new about the path (another replica wrote it) leaves the row be.
-- The interval is knownPaths.ts' LAST_SEEN_RESOLUTION_MS.
WHERE excluded.first_seen < p.first_seen
   OR excluded.last_seen >= p.last_seen + interval '30 seconds'
   OR NOT (excluded.policies <@ p.policies)
   OR NOT (excluded.reasons <@ p.reasons)`;

/** What drop_paths holds of a path besides its facts: its identity and the namespace charts file it under. */
export type PathRow = DropPathIdentity & { namespace: string };

/** A drop path of a batch: its id, and the first event on it (the path's fields are the same in every one). */
export interface BatchPath {
  id: string;
  /** cluster + id: drop_paths' key, and knownPaths.ts' */
  key: string;
  e: PathRow;
}

export function batchPath(identity: string, e: PathRow): BatchPath {
  const id = dropPathIdOfText(identity);
  // The id is digits, so the last U+001F ends the cluster: distinct paths, distinct keys.
  return { id, key: `${e.cluster}\u001f${id}`, e };
}

/** Each event's drop path; paths repeat heavily within a batch, so each is hashed once. */
export function pathsOf(events: readonly StorableDropEvent[]): BatchPath[] {
  const byIdentity = new Map<string, BatchPath>();
  return events.map((e) => {
    // The text the id hashes: equal texts are the same path, whatever the names hold (keys.ts).
    const identity = dropPathText(e);
    let path = byIdentity.get(identity);
    if (path === undefined) byIdentity.set(identity, (path = batchPath(identity, e)));
    return path;
  });
}

const MINUTE_MS = 60_000;

/** What a count row says besides its minute, path and count. */
export interface CountFacts {
  cluster: string;
  namespace: string;
  direction: TrafficDirection;
  verdict: Verdict;
  reason: string;
}

export interface PathUpdate extends PathFacts {
  path: BatchPath;
  policies: Set<string>;
  reasons: Set<string>;
  /** minute + verdict + reason -> the count row */
  counts: Map<string, { minute: number; e: CountFacts; path: BatchPath; count: number }>;
}

/**
 * The parameters of COUNTS_AND_PATHS_SQL: new events' counts per minute and path, and the paths
 * this batch tells something new about (the rest are skipped, see knownPaths.ts).
 */
export function countsAndPaths(events: readonly StorableDropEvent[], eventPaths: readonly BatchPath[]): { params: unknown[]; paths: PathUpdate[] } {
  const updates = new Map<BatchPath, PathUpdate>();
  for (let i = 0; i < events.length; i++) {
    const e = events[i] as StorableDropEvent;
    const path = eventPaths[i] as BatchPath;
    const at = e.time.getTime();
    const minute = at - (at % MINUTE_MS);
    let update = updates.get(path);
    if (update === undefined) {
      updates.set(path, (update = { path, first: at, last: at, policies: new Set(e.policies), reasons: new Set([e.reason]), counts: new Map() }));
    } else {
      if (at < update.first) update.first = at;
      if (at > update.last) update.last = at;
      for (const policy of e.policies) update.policies.add(policy);
      update.reasons.add(e.reason);
    }
    // An annotation (count 0: another record counts its drop) adds path facts, not a count row.
    if (e.count === 0) continue;
    const countKey = `${minute}\u001f${e.verdict}\u001f${e.reason}`;
    const count = update.counts.get(countKey);
    if (count) count.count += e.count;
    else update.counts.set(countKey, { minute, e, path, count: e.count });
  }
  return paramsOf([...updates.values()]);
}

/** COUNTS_AND_PATHS_SQL's parameters for these path updates: every count row, and the paths not already known. */
export function paramsOf(updates: readonly PathUpdate[]): { params: unknown[]; paths: PathUpdate[] } {
  const c = updates.flatMap((u) => [...u.counts.values()]);
  const p = updates.filter((u) => !isKnown(u.path.key, u));
  const params = [
    c.map((x) => new Date(x.minute).toISOString()), c.map((x) => x.e.cluster), c.map((x) => x.e.namespace), c.map((x) => x.e.direction),
    c.map((x) => x.e.verdict), c.map((x) => x.e.reason), c.map((x) => x.path.id), c.map((x) => x.count),
    p.map((x) => x.path.e.cluster), p.map((x) => x.path.id), p.map((x) => x.path.e.namespace), p.map((x) => x.path.e.direction),
    p.map((x) => x.path.e.srcNamespace), p.map((x) => x.path.e.srcWorkload), p.map((x) => x.path.e.dstNamespace), p.map((x) => x.path.e.dstWorkload),
    p.map((x) => x.path.e.dstPort), p.map((x) => x.path.e.protocol), p.map((x) => new Date(x.first).toISOString()), p.map((x) => new Date(x.last).toISOString()),
    p.map((x) => toArrayLiteral([...x.policies].sort())), p.map((x) => toArrayLiteral([...x.reasons].sort())),
  ];
  return { params, paths: p };
}

