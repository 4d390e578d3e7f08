// Test helper: random parts of a kept read of per-path numbers (kept rows, restated policies, rows
// read now), and the rows they make as readKept's answer, merged here as readKept merged them
// before (a reference kept apart from keptReads.ts).
import type { KeptParts } from "../queries/keptReads";
import { plusNumbers, type StagePathNumbers } from "../queries/rollouts/getStagePathCounts";

export type Random = () => number;

/** A seeded generator (Park–Miller): the same draws at every run. */
export function seededRandom(seed: number): Random {
  let state = seed;
  return () => (state = (state * 48271) % 2147483647) / 2147483647;
}

export const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

export const POLICY_LISTS: (string[] | null)[] = [null, [], ["mine"], ["theirs"], ["mine", "theirs"]];

/** A path's numbers: some count no policy-reason drop (other reasons only), some were all dropped, some all audited. */
export function randomNumbers(random: Random, id: number): StagePathNumbers {
  const count = pick(random, [0, 1, 2, 5]);
  const dropped = count === 0 ? 0 : Math.floor(random() * (count + 1));
  return { cluster: "c", id: String(id), count, dropped, audit: count - dropped, other: pick(random, [0, 3]), before_split: pick(random, [0, count]), policies: pick(random, POLICY_LISTS) };
}

/** Fresh and restated parts over paths 0..size-1, beside given kept rows. */
export function randomChanges(random: Random, size: number, kept: ReadonlyMap<string, StagePathNumbers>): KeptParts<StagePathNumbers> {
  const restated = new Map<string, Partial<StagePathNumbers>>();
  const fresh = new Map<string, StagePathNumbers>();
  for (let id = 0; id < size; id++) {
    if (random() < 0.2) restated.set(`c/${id}`, { policies: pick(random, POLICY_LISTS) });
    if (random() < 0.3) fresh.set(`c/${id}`, randomNumbers(random, id));
  }
  return { kept, restated, fresh };
}

export function randomKept(random: Random, size: number): Map<string, StagePathNumbers> {
  const kept = new Map<string, StagePathNumbers>();
  for (let id = 0; id < size; id++) if (random() < 0.7) kept.set(`c/${id}`, randomNumbers(random, id));
  return kept;
}

/** The rows of readKept's answer: kept rows with their restated facts plus their fresh rows, then rows only read now. */
export function answerRows({ kept, restated, fresh }: KeptParts<StagePathNumbers>): StagePathNumbers[] {
  const rows: StagePathNumbers[] = [];
  for (const [key, row] of kept) {
    const change = restated.get(key);
    const asNow = change ? { ...row, ...change } : row;
    const recent = fresh.get(key);
    rows.push(recent ? plusNumbers(asNow, recent) : asNow);
  }
  for (const [key, row] of fresh) if (!kept.has(key)) rows.push(row);
  return rows;
}
