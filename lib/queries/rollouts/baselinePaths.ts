// The baseline's paths (the window before a rollout's first enforcing stage), asked path by path:
// health asks of each path in the stage whether the baseline saw it and dropped it, and sums the
// baseline's drops in the budget. A baseline is over, so its rows are the same kept read at every
// poll (keptReads.ts); sets of its paths were built at every poll (6–16 ms at 16k paths here), so
// what is derived from the kept rows is worked out once per kept read, and what changed since (late
// counts, policies named since) is worked out at each poll, as auditSightings.ts does.
import { partsRow, type KeptParts } from "../keptReads";
import { plusNumbers, type StagePathNumbers } from "./getStagePathCounts";

type Policies = readonly string[] | null;

export interface BaselinePaths {
  /** Whether the path had policy-reason drops in the baseline. */
  seen(key: string): boolean;
  /** Whether some of them were DROPPED (enforced). */
  dropped(key: string): boolean;
  /** The baseline's policy-reason drops on paths whose policies `claims`, except the paths `excluded` names (by key). */
  drops(claims: (policies: Policies) => boolean, excluded: ReadonlyMap<string, unknown>): number;
}

interface KeptBaseline {
  seen: Set<string>;
  dropped: Set<string>;
  /** Drops by the paths' policies (one entry per distinct list). */
  groups: { policies: Policies; drops: number }[];
}

const derivedOfKept = new WeakMap<ReadonlyMap<string, StagePathNumbers>, KeptBaseline>();

function derivedOf(kept: ReadonlyMap<string, StagePathNumbers>): KeptBaseline {
  let derived = derivedOfKept.get(kept);
  if (!derived) {
    derived = { seen: new Set(), dropped: new Set(), groups: [] };
    const byList = new Map<string, { policies: Policies; drops: number }>();
    for (const [key, row] of kept) {
      if (row.count === 0) continue;
      derived.seen.add(key);
      if (row.dropped > 0) derived.dropped.add(key);
      const list = JSON.stringify(row.policies);
      const group = byList.get(list);
      if (group) group.drops += row.count;
      else byList.set(list, { policies: row.policies, drops: row.count });
    }
    derived.groups = [...byList.values()];
    derivedOfKept.set(kept, derived);
  }
  return derived;
}

/** The baseline as readKept's answer has it: a path's row is its kept row with the facts restated since, plus its row read now. */
export function baselinePaths(parts: KeptParts<StagePathNumbers>): BaselinePaths {
  const { kept, restated, fresh } = parts;
  const derived = derivedOf(kept);
  const rowOf = (key: string) => partsRow(parts, key, plusNumbers);
  // Counts change only by rows read now; policies by those and by the facts restated.
  const counted = (key: string) => {
    const row = rowOf(key);
    return row !== undefined && row.count > 0 ? row : undefined;
  };
  return {
    seen: (key) => (fresh.has(key) ? counted(key) !== undefined : derived.seen.has(key)),
    dropped: (key) => (fresh.has(key) ? (counted(key)?.dropped ?? 0) > 0 : derived.dropped.has(key)),
    drops(claims, excluded) {
      let total = 0;
      for (const group of derived.groups) if (claims(group.policies)) total += group.drops;
      // Paths changed since they were kept: their kept drops out, their drops as they are now in.
      for (const key of new Set([...restated.keys(), ...fresh.keys()])) {
        const row = kept.get(key);
        if (row && row.count > 0 && claims(row.policies)) total -= row.count;
        const now = counted(key);
        if (now && claims(now.policies)) total += now.count;
      }
      for (const key of excluded.keys()) {
        const now = counted(key);
        if (now && claims(now.policies)) total -= now.count;
      }
      return total;
    },
  };
}
