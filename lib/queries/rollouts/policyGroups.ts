// Kept rows summed by their list of policies. Whether a rollout claims a path depends on the path's
// policies alone, so "how many paths (or drops) does it claim" is asked once per distinct list,
// not once per path: a scan makes 100k paths and a handful of lists. Worked out once per kept read
// (its rows are never changed while kept: keptReads.ts); only paths changed since are worked out
// at each call.
import type { KeptParts } from "../keptReads";

/** A path's policies as drop_paths has them (null: none named). */
export type Policies = readonly string[] | null;

interface PolicyGroup {
  policies: Policies;
  /** The rows' amounts summed (paths, drops). */
  total: number;
}

/** A path as it is now, for a claimed total: its policies and its amount (undefined: not in the answer). */
export type PathNow = { policies: Policies; amount: number } | undefined;

/**
 * A function giving the total `amount` of a kept read's answer on paths whose policies `claims`:
 * the kept rows' groups by policies (remembered per rows Map), with each path changed since they
 * were kept (facts restated, or read now) taken out as kept and put in as `now` says it is.
 */
export function claimedTotals<Row extends { policies: Policies }>(amount: (row: Row) => number) {
  const groupsOfKept = new WeakMap<ReadonlyMap<string, Row>, PolicyGroup[]>();
  const groupsOf = (kept: ReadonlyMap<string, Row>): PolicyGroup[] => {
    let groups = groupsOfKept.get(kept);
    if (!groups) {
      const byList = new Map<string, PolicyGroup>();
      for (const row of kept.values()) {
        const list = JSON.stringify(row.policies);
        const group = byList.get(list);
        if (group) group.total += amount(row);
        else byList.set(list, { policies: row.policies, total: amount(row) });
      }
      groups = [...byList.values()];
      groupsOfKept.set(kept, groups);
    }
    return groups;
  };
  return ({ kept, restated, fresh }: KeptParts<Row>, claims: (policies: Policies) => boolean, now: (key: string) => PathNow): number => {
    let total = 0;
    for (const group of groupsOf(kept)) if (claims(group.policies)) total += group.total;
    for (const key of new Set([...restated.keys(), ...fresh.keys()])) {
      const row = kept.get(key);
      if (row && claims(row.policies)) total -= amount(row);
      const current = now(key);
      if (current && claims(current.policies)) total += current.amount;
    }
    return total;
  };
}
