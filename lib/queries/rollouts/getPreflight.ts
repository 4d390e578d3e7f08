// Pre-flight for a proposed stage: the drop paths already seen as AUDIT (with a policy reason) in
// that scope recently. Promoting enforces the policy there, so these are what would start being
// dropped; paths whose audit drops name only other policies are not this rollout's to predict.
// The AUDIT sightings are read alone (AUDIT rows only: cheap at a million paths), without the
// paths' descriptions (an audit-mode scan sights tens of thousands of paths; 500 are listed) and
// with the window's whole hours kept between calls; then the counts and descriptions of those listed.
import { attributePath, describeAttribution } from "../../rollouts/attribution";
import type { Scope } from "../../rollouts/scope";
import { toDropPathRow } from "../drops/pathCounts";
import { exceptionsInForce } from "./getExceptions";
import type { StagePath } from "./getRolloutHealth";
import { getStagePathCounts, pathKey, type StagePathCountsRow, type StagePathNumbers } from "./getStagePathCounts";
import { getRecentAuditNumbers } from "./sealedPathCounts";

/** Paths listed per kind (would drop, acknowledged). */
const MAX_LISTED = 500;

export interface Preflight {
  from: string;
  to: string;
  /** Would start dropping: seen as AUDIT in scope, not acknowledged. */
  wouldDrop: StagePath[];
  acknowledged: StagePath[];
  /** AUDIT drops in the window on those paths. */
  auditDrops: number;
}

export async function getPreflight(rollout: { id: string | null; name: string; clusters: string[]; policies: string[] }, scope: Scope, hours: number, now: Date): Promise<Preflight> {
  const from = new Date(now.getTime() - hours * 3_600_000);
  const window = { from, to: now };
  const [sightings, exceptions] = await Promise.all([getRecentAuditNumbers(window, rollout.clusters, scope, now), exceptionsInForce(rollout.id, now)]);
  const acks = exceptions.active;
  const audited = sightings
    .filter((row) => row.audit > 0 && attributePath(row.policies ?? [], rollout.policies) !== "other-policies")
    .sort((a, b) => b.audit - a.audit);
  const wouldDrop = audited.filter((row) => !acks.has(pathKey(row)));
  const listed = [...wouldDrop.slice(0, MAX_LISTED), ...audited.filter((row) => acks.has(pathKey(row))).slice(0, MAX_LISTED)];
  // The listed paths' counts of every verdict (the sightings hold their AUDIT drops only).
  const counted = listed.length > 0 ? await getStagePathCounts(window, rollout.clusters, scope, { paths: listed }) : [];
  const countsOf = new Map(counted.map((row) => [pathKey(row), row]));
  // Attributed as listed (by the sightings' policies); counted and described by the second read.
  const toStagePath = (sighting: StagePathNumbers, counts: StagePathCountsRow): StagePath => {
    const attribution = attributePath(sighting.policies ?? [], rollout.policies);
    return {
      ...toDropPathRow(counts, from),
      acknowledgement: acks.get(pathKey(sighting)) ?? null,
      attribution,
      attributionText: describeAttribution(attribution, rollout),
    };
  };
  // Both reads count the same window and scope: a listed path is missing from the second only
  // when retention deleted it in between.
  const paths = listed.flatMap((sighting) => {
    const counts = countsOf.get(pathKey(sighting));
    return counts ? [toStagePath(sighting, counts)] : [];
  });
  return {
    from: from.toISOString(),
    to: now.toISOString(),
    wouldDrop: paths.filter((p) => p.acknowledgement === null),
    acknowledged: paths.filter((p) => p.acknowledgement !== null),
    auditDrops: wouldDrop.reduce((total, row) => total + row.audit, 0),
  };
}
