// Pre-flight for a proposed stage: the drop paths already seen as AUDIT in that scope recently.
// Promoting enforces the policy there, so these are what would start being dropped.
import type { Scope } from "../../rollouts/scope";
import { toDropPathRow } from "../drops/getTopDropPaths";
import { getAcknowledgements, pathCountsInScope, type StagePath } from "./getRolloutHealth";

export interface Preflight {
  from: string;
  to: string;
  /** Would start dropping: seen as AUDIT in scope, not acknowledged. */
  wouldDrop: StagePath[];
  acknowledged: StagePath[];
  /** AUDIT drops in the window on those paths. */
  auditDrops: number;
}

export async function getPreflight(clusters: string[], scope: Scope, hours: number, now: Date): Promise<Preflight> {
  const from = new Date(now.getTime() - hours * 3_600_000);
  const [rows, acks] = await Promise.all([pathCountsInScope({ from, to: now }, clusters, scope, "AUDIT"), getAcknowledgements()]);
  const paths = rows
    .filter((row) => row.audit > 0)
    .map((row) => ({ ...toDropPathRow(row, from), acknowledgement: acks.get(`${row.cluster}/${row.id}`) ?? null }))
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
