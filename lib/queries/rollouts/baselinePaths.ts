// The baseline's paths (the window before a rollout's first enforcing stage), asked path by path:
// health asks of each path in the stage whether the baseline saw it and dropped it, and sums the
// baseline's drops in the budget. A baseline is over, so its rows are the same kept read at every
// poll (keptReads.ts); sets of its paths were built at every poll (6–16 ms at 16k paths here), so
// what is derived from the kept rows is worked out once per kept read, and what changed since (late
// counts, policies named since) is worked out at each poll, as auditSightings.ts does. A baseline
// too large to keep (over keptReads' MAX_KEPT_ROWS) is read and derived again at every poll, as
// before; the derived sets live as long as their kept read and are not counted against its rows.
import { partsRow, type KeptParts } from "../keptReads";
import { plusNumbers, type StagePathNumbers } from "./getStagePathCounts";
import { claimedTotals, type Policies } from "./policyGroups";

export interface BaselinePaths {
  /** Whether the path had policy-reason drops in the baseline. */
  seen(key: string): boolean;
  /** Whether some of them were DROPPED (enforced). */
  dropped(key: string): boolean;
  /** The baseline's policy-reason drops on paths whose policies `claims`, except the paths `excluded` names (by key). */
  drops(claims: (policies: Policies) => boolean, excluded: ReadonlyMap<string, unknown>): number;
}

/** The kept rows' paths with policy-reason drops, and those of them DROPPED. */
interface KeptPaths {
  seen: Set<string>;
  dropped: Set<string>;
}

const pathsOfKept = new WeakMap<ReadonlyMap<string, StagePathNumbers>, KeptPaths>();

function keptPaths(kept: ReadonlyMap<string, StagePathNumbers>): KeptPaths {
  let paths = pathsOfKept.get(kept);
  if (!paths) {
    paths = { seen: new Set(), dropped: new Set() };
    for (const [key, row] of kept) {
      if (row.count === 0) continue;
      paths.seen.add(key);
      if (row.dropped > 0) paths.dropped.add(key);
    }
    pathsOfKept.set(kept, paths);
  }
  return paths;
}

/** The policy-reason drops a rollout claims: kept ones summed by policies once per kept read. */
const claimedDrops = claimedTotals<StagePathNumbers>((row) => row.count);

/** The baseline as readKept's answer has it: a path's row is its kept row with the facts restated since, plus its row read now. */
export function baselinePaths(parts: KeptParts<StagePathNumbers>): BaselinePaths {
  const { kept, fresh } = parts;
  const paths = keptPaths(kept);
  // Counts change only by rows read now; policies by those and by the facts restated.
  const counted = (key: string) => {
    const row = partsRow(parts, key, plusNumbers);
    return row !== undefined && row.count > 0 ? row : undefined;
  };
  return {
    seen: (key) => (fresh.has(key) ? counted(key) !== undefined : paths.seen.has(key)),
    dropped: (key) => (fresh.has(key) ? (counted(key)?.dropped ?? 0) > 0 : paths.dropped.has(key)),
    drops(claims, excluded) {
      // Paths changed since they were kept: their drops as they are now.
      let total = claimedDrops(parts, claims, (key) => {
        const current = counted(key);
        return current && { policies: current.policies, amount: current.count };
      });
      for (const key of excluded.keys()) {
        const current = counted(key);
        if (current && claims(current.policies)) total -= current.count;
      }
      return total;
    },
  };
}
