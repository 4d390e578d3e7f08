// Kept rows summed by their list of policies. Whether a rollout claims a path depends on the path's
// policies alone, so "how many paths (or drops) does it claim" is asked once per distinct list,
// not once per path: a scan makes 100k paths and a handful of lists. Worked out once per kept read
// (its rows are never changed while kept: keptReads.ts).

/** A path's policies as drop_paths has them (null: none named). */
export type Policies = readonly string[] | null;

export interface PolicyGroup {
  policies: Policies;
  /** The rows' amounts summed (paths, drops). */
  total: number;
}

/** A function summing `amount` of a kept read's rows by their policies, remembered per rows Map. */
export function keptPolicyGroups<Row extends { policies: Policies }>(amount: (row: Row) => number): (kept: ReadonlyMap<string, Row>) => PolicyGroup[] {
  const groupsOfKept = new WeakMap<ReadonlyMap<string, Row>, PolicyGroup[]>();
  return (kept) => {
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
}

/** The total of the groups whose policies `claims`. */
export function claimedTotal(groups: readonly PolicyGroup[], claims: (policies: Policies) => boolean): number {
  let total = 0;
  for (const group of groups) if (claims(group.policies)) total += group.total;
  return total;
}
