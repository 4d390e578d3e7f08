// Rollout health's reads of a stage's counts (per path, its AUDIT sightings before the stage, and
// the other reasons in scope), and pre-flight's recent AUDIT sightings, with finished hours read
// once. At a million paths a stage's window groups tens of thousands of paths (0.2–0.5 s a read),
// and health is polled every 30 s by pages, pipelines and the evaluator, while all but the last
// hour of it stays the same.
//
// Kept like every kept read (keptReads.ts): counts by the compactor's hour versions. Besides counts,
// attribution: a path's policies change only through ingest marking it uncredited, then the
// compactor crediting it (logged in path_policy_credits, in commit order). Kept rows take the
// policies of paths uncredited now or credited since they were read, as drop_paths has them now.
import { scopeCondition, type Scope } from "../../rollouts/scope";
import { readKept, readKeptParts, sealedEndOf, type KeptParts, type KeptQuery, type KeptReadSpec } from "../keptReads";
import { SqlParams } from "../sqlParams";
import type { TimeRange } from "../timeRange";
import { auditSightings, type AuditSightings } from "./auditSightings";
import { baselinePaths, type BaselinePaths } from "./baselinePaths";
import { auditSightingsQuery, otherReasonsQuery, pathKey, readStagePathNumbers, stagePathNumbersQuery, plusNumbers, type AuditSighting, type ReasonCount, type StagePathCountsOptions, type StagePathNumbers } from "./getStagePathCounts";

/** The policies, now, of the paths in scope whose policies may have changed since `creditSeq`. */
async function changedPolicies(query: KeptQuery, creditSeq: string, clusters: readonly string[], scope: Scope): Promise<Map<string, Partial<StagePathNumbers>>> {
  const params = new SqlParams();
  const seq = params.add(creditSeq);
  const inScope = `${scopeCondition("p.namespace", scope, params)}${clusters.length > 0 ? ` AND p.cluster = ANY(${params.add(clusters)}::text[])` : ""}`;
  const { rows } = await query<{ cluster: string; id: string; policies: string[] | null }>(
    `SELECT p.cluster, p.id::text AS id, p.policies FROM drop_paths p WHERE p.policies_uncredited AND ${inScope}
     UNION SELECT p.cluster, p.id::text, p.policies FROM path_policy_credits c JOIN drop_paths p ON p.cluster = c.cluster AND p.id = c.drop_path_id
     WHERE c.seq > ${seq}::bigint AND ${inScope}`,
    params.values,
  );
  return new Map(rows.map((row) => [pathKey(row), { policies: row.policies }]));
}

/** How a window's per-path numbers in scope are kept (one kept read per window, scope and split). */
function stagePathSpec(range: TimeRange, clusters: readonly string[], scope: Scope, options: Pick<StagePathCountsOptions, "auditOnly" | "splitAt">, now: Date): KeptReadSpec<StagePathNumbers> {
  // The split only matters to kept hours when it falls inside them (a stage's is at its end).
  const split = options.splitAt === undefined ? "-" : options.splitAt.getTime() >= sealedEndOf(range, now) ? "after" : options.splitAt.toISOString();
  return {
    identity: ["paths", clusters, scope, options.auditOnly ?? false, split],
    read: (part, source) => stagePathNumbersQuery(part, clusters, scope, options, source),
    keyOf: pathKey,
    plus: plusNumbers,
    restate: (query, creditSeq) => changedPolicies(query, creditSeq, clusters, scope),
  };
}

/**
 * Per-path numbers of a window in scope: the same as getStagePathCounts' (without the paths'
 * descriptions), with the window's finished hours kept between calls. The rows are shared: read only.
 */
export function getStagePathNumbers(range: TimeRange, clusters: readonly string[], scope: Scope, options: Pick<StagePathCountsOptions, "auditOnly" | "splitAt">, now: Date): Promise<StagePathNumbers[]> {
  return readKept(stagePathSpec(range, clusters, scope, options, now), range, now);
}

/** getStagePathNumbers' answer in its parts (keptReads.ts), keyed: for a caller that asks its rows by key. */
export function getStagePathParts(range: TimeRange, clusters: readonly string[], scope: Scope, options: Pick<StagePathCountsOptions, "auditOnly" | "splitAt">, now: Date): Promise<KeptParts<StagePathNumbers>> {
  return readKeptParts(stagePathSpec(range, clusters, scope, options, now), range, now);
}

/** The baseline's paths in scope, asked path by path (baselinePaths.ts): the same kept read as getStagePathNumbers'. */
export async function getBaselinePaths(range: TimeRange, clusters: readonly string[], scope: Scope, now: Date): Promise<BaselinePaths> {
  return baselinePaths(await getStagePathParts(range, clusters, scope, {}, now));
}

const HOUR_MS = 3_600_000;
/** Longer pre-flight windows are read whole, once: they are asked rarely, and their rows would crowd out health's. */
const KEPT_RECENT_HOURS = 48;

/**
 * A moving window's AUDIT sightings in scope with their numbers (pre-flight's last N hours): from
 * its first whole hour on, kept like a stage's (reused while that hour starts the window), and the
 * minutes before it read now. The two parts are apart in time, so no count is in both. Windows
 * over KEPT_RECENT_HOURS, or without a whole hour, are read whole.
 */
export async function getRecentAuditNumbers(range: TimeRange, clusters: readonly string[], scope: Scope, now: Date): Promise<StagePathNumbers[]> {
  const firstHour = new Date(Math.ceil(range.from.getTime() / HOUR_MS) * HOUR_MS);
  if (firstHour.getTime() >= range.to.getTime() || range.to.getTime() - range.from.getTime() > KEPT_RECENT_HOURS * HOUR_MS) {
    return readStagePathNumbers(range, clusters, scope, { auditOnly: true });
  }
  const [lead, rest] = await Promise.all([
    firstHour.getTime() > range.from.getTime() ? readStagePathNumbers({ from: range.from, to: firstHour }, clusters, scope, { auditOnly: true }) : Promise.resolve([]),
    getStagePathNumbers({ from: firstHour, to: range.to }, clusters, scope, { auditOnly: true }, now),
  ]);
  const byPath = new Map(lead.map((row) => [pathKey(row), row]));
  for (const row of rest) {
    const key = pathKey(row);
    const earlier = byPath.get(key);
    byPath.set(key, earlier ? plusNumbers(earlier, row) : row);
  }
  return [...byPath.values()];
}

/**
 * The paths in scope seen as AUDIT with a policy reason in a window (health's predictions), kept
 * like the counts. Rows are slim (a key, and policies shared between equal lists), so a month of
 * an audit-mode scan (400k paths) is kept rather than read again at every poll (6 s each at 400k
 * paths as rows of counts, past the rows a read may keep; 2 s as sightings, then 5 ms).
 */
export async function getAuditSightings(range: TimeRange, clusters: readonly string[], scope: Scope, now: Date): Promise<AuditSightings> {
  // Kept rows share equal strings and lists (pg makes new ones for every row).
  const names = new Map<string, string>();
  const lists = new Map<string, string[] | null>();
  const parts = await readKeptParts<AuditSighting>(
    {
      identity: ["audit sightings", clusters, scope],
      read: (part, source) => auditSightingsQuery(part, clusters, scope, source),
      keyOf: pathKey,
      plus: (_earlier, later) => later,
      restate: (query, creditSeq) => changedPolicies(query, creditSeq, clusters, scope),
      // A key, an id, and strings and lists shared: 172 bytes a sighting kept (400k of a scan: 72 MB).
      weight: 0.4,
      keepRow: (row) => {
        const list = JSON.stringify(row.policies);
        const policies = lists.get(list) ?? row.policies;
        lists.set(list, policies);
        const cluster = names.get(row.cluster) ?? row.cluster;
        names.set(cluster, cluster);
        return { cluster, id: row.id, policies };
      },
    },
    range,
    now,
  );
  return auditSightings(parts);
}

/**
 * The reasons of drops in scope that no policy causes, most first: what "other drops in scope" are.
 * Filed by the path's namespace, as the path counts are; kept like them.
 */
export async function getOtherReasonsInScope(range: TimeRange, clusters: readonly string[], scope: Scope, now: Date, limit = 10): Promise<ReasonCount[]> {
  const reasons = await readKept<ReasonCount>(
    {
      identity: ["other reasons", clusters, scope],
      read: (part, source) => otherReasonsQuery(part, clusters, scope, source),
      keyOf: (row) => row.reason,
      plus: (earlier, later) => ({ reason: later.reason, drops: earlier.drops + later.drops }),
    },
    range,
    now,
  );
  return [...reasons].sort((a, b) => b.drops - a.drops || (a.reason < b.reason ? -1 : a.reason > b.reason ? 1 : 0)).slice(0, limit);
}
