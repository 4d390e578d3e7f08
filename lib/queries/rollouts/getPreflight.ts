// Pre-flight for a proposed stage: the drop paths already seen as AUDIT (with a policy reason) in
// that scope recently. Promoting enforces the policy there, so these are what would start being
// dropped; paths whose audit drops name only other policies are not this rollout's to predict.
import { attributePath, describeAttribution } from "../../rollouts/attribution";
import type { Scope } from "../../rollouts/scope";
import { toDropPathRow } from "../drops/pathCounts";
import { exceptionsInForce } from "./getExceptions";
import type { StagePath } from "./getRolloutHealth";
import { getStagePathCounts } from "./getStagePathCounts";

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
  const [rows, exceptions] = await Promise.all([getStagePathCounts({ from, to: now }, rollout.clusters, scope), exceptionsInForce(rollout.id, now)]);
  const acks = exceptions.active;
  const paths = rows
    .filter((row) => row.audit > 0)
    .map((row): StagePath => {
      const attribution = attributePath(row.policies ?? [], rollout.policies);
      return {
        ...toDropPathRow(row, from),
        acknowledgement: acks.get(`${row.cluster}/${row.id}`) ?? null,
        attribution,
        attributionText: describeAttribution(attribution, rollout),
      };
    })
    .filter((path) => path.attribution !== "other-policies")
    .sort((a, b) => b.audit - a.audit);
  const wouldDrop = paths.filter((p) => p.acknowledgement === null);
  return {
    from: from.toISOString(),
    to: now.toISOString(),
    wouldDrop: wouldDrop.slice(0, 500),
    acknowledged: paths.filter((p) => p.acknowledgement !== null).slice(0, 500),
    auditDrops: wouldDrop.reduce((total, p) => total + p.audit, 0),
  };
}
