// The paths seen as AUDIT before a stage (what health's predictions are made of), asked path by
// path. An audit-mode scan sights hundreds of thousands of paths in 30 days: health asks about the
// stage's paths and how many sightings a rollout claims, so the sightings are never copied into a
// set per poll. The kept rows of the read are shared between polls (keptReads.ts), and what is
// derived from them (how many paths have each set of policies) is worked out once per kept read.
import type { KeptParts } from "../keptReads";
import type { AuditSighting } from "./getStagePathCounts";
import { claimedTotals, type Policies } from "./policyGroups";

export interface AuditSightings {
  /** The sighted path's policies (as drop_paths has them now); undefined: not sighted. */
  policiesOf(key: string): Policies | undefined;
  /** How many sighted paths have policies for which `claims` is true. */
  countWhere(claims: (policies: Policies) => boolean): number;
}

/** How many sighted paths a rollout claims: kept ones counted by policies once per kept read. */
const claimedPaths = claimedTotals<AuditSighting>(() => 1);

/** A path's policies as readKept's answer has them: the fresh row's, else the restated, else the kept row's. */
export function auditSightings(parts: KeptParts<AuditSighting>): AuditSightings {
  const { kept, restated, fresh } = parts;
  const policiesOf = (key: string): Policies | undefined => {
    const recent = fresh.get(key);
    if (recent) return recent.policies;
    const row = kept.get(key);
    if (!row) return undefined;
    const change = restated.get(key);
    return change && "policies" in change ? (change.policies ?? null) : row.policies;
  };
  return {
    policiesOf,
    countWhere(claims) {
      // Paths whose policies changed since they were kept, or sighted only now: counted as they are now.
      return claimedPaths(parts, claims, (key) => {
        const policies = policiesOf(key);
        return policies === undefined ? undefined : { policies, amount: 1 };
      });
    },
  };
}
