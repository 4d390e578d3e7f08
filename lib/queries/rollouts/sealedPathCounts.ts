// Rollout health's per-path reads, with a stage's finished hours read once. At a million paths a
// stage's window groups tens of thousands of paths (0.2–0.5 s a read), and health is polled every
// 30 s by pages, pipelines and the evaluator, while all but the last hour of it stays the same.
//
// A read of [from, to) is the compacted counts of [from, sealedEnd) (whole hours ending at least
// SETTLE_MS before now), kept in memory, plus what is pending compaction in those hours plus every
// count of [sealedEnd, to), all read in one snapshot. The kept part is exact while nothing changed
// it, and what can change it says so (migration 20261204100000_rollup_versions):
// - counts: the compactor bumps each hour's version as it moves counts into it (late records
//   included); retention bumps the '-infinity' generation when it deletes. Any difference: re-read.
// - attribution: a path's policies change only through ingest marking it uncredited, then the
//   compactor crediting it (logged in path_policy_credits, in commit order). Kept rows take the
//   policies of paths uncredited now or credited since they were read, as drop_paths has them now.
import type { Scope } from "../../rollouts/scope";
import { readQuery, readSnapshot } from "../readPool";
import type { TimeRange } from "../timeRange";
import { stagePathNumbersQuery, type CountSource, type StagePathCountsOptions, type StagePathNumbers } from "./getStagePathCounts";

const HOUR_MS = 3_600_000;
/** Counts of the last minutes still arrive in bulk: kept hours end at least this long before now. */
const SETTLE_MS = 5 * 60_000;
/** Kept reads are used at most this long: well inside the credit log's hour. */
const MAX_AGE_MS = 30 * 60_000;
/** Paths kept over all reads (~150 bytes each); a read larger than this is not kept. */
const MAX_KEPT_PATHS = 500_000;

interface KeptRead {
  versions: string;
  creditSeq: string;
  readAt: number;
  rows: Map<string, StagePathNumbers>;
}

const holder = globalThis as unknown as { dropboardKeptReads?: Map<string, KeptRead> };
const keptReads = (holder.dropboardKeptReads ??= new Map());

/** How often a read used kept hours, for tests and the bench. */
export const keptReadStats = { reused: 0, read: 0 };

const keyOf = (row: { cluster: string; id: string }) => `${row.cluster}/${row.id}`;

function keep(key: string, read: KeptRead): void {
  keptReads.delete(key);
  if (read.rows.size > MAX_KEPT_PATHS) return;
  keptReads.set(key, read);
  let total = 0;
  for (const kept of keptReads.values()) total += kept.rows.size;
  // Least recently used first (a Map iterates in insertion order; use re-inserts).
  for (const [oldest, kept] of keptReads) {
    if (total <= MAX_KEPT_PATHS) break;
    keptReads.delete(oldest);
    total -= kept.rows.size;
  }
}

function add(into: Map<string, StagePathNumbers>, rows: readonly StagePathNumbers[]): void {
  for (const row of rows) {
    const key = keyOf(row);
    const found = into.get(key);
    if (!found) {
      into.set(key, { ...row });
      continue;
    }
    found.count += row.count;
    found.dropped += row.dropped;
    found.audit += row.audit;
    found.other += row.other;
    found.before_split += row.before_split;
    // Read in this snapshot: the path's policies as they are now.
    found.policies = row.policies;
  }
}

/** Emptied between tests that rewrite history under one key (and by nothing else). */
export function forgetKeptReads(): void {
  keptReads.clear();
}

/**
 * Per-path numbers of a window in scope: the same as getStagePathCounts' (without the paths'
 * descriptions), with the window's finished hours kept between calls.
 */
export async function getStagePathNumbers(range: TimeRange, clusters: readonly string[], scope: Scope, options: Pick<StagePathCountsOptions, "auditOnly" | "splitAt">, now: Date): Promise<StagePathNumbers[]> {
  const sealedEnd = new Date(Math.floor((Math.min(now.getTime() - SETTLE_MS, range.to.getTime())) / HOUR_MS) * HOUR_MS);
  const read = (part: TimeRange, source: CountSource) => stagePathNumbersQuery(part, clusters, scope, options, source);
  // Under an hour to keep: one live read.
  if (sealedEnd.getTime() - range.from.getTime() < HOUR_MS) {
    const { sql, values } = read(range, "live");
    return (await readQuery<StagePathNumbers>(sql, values)).rows;
  }
  const sealed = { from: range.from, to: sealedEnd };
  const split = options.splitAt === undefined ? "-" : options.splitAt >= sealedEnd ? "all" : options.splitAt.toISOString();
  const key = JSON.stringify([range.from.toISOString(), sealedEnd.toISOString(), clusters, scope, options.auditOnly ?? false, split]);
  return readSnapshot(async (query) => {
    const hourFrom = new Date(Math.floor(range.from.getTime() / HOUR_MS) * HOUR_MS);
    const { rows: versionRows } = await query<{ versions: string | null; credit_seq: string }>(
      `SELECT (SELECT string_agg(hour::text || '=' || version, ',' ORDER BY hour) FROM rollup_hour_versions
               WHERE hour = '-infinity' OR (hour >= $1 AND hour < $2)) AS versions,
              (SELECT coalesce(max(seq), 0)::text FROM path_policy_credits) AS credit_seq`,
      [hourFrom, sealedEnd],
    );
    const versions = versionRows[0]?.versions ?? "";
    const creditSeq = versionRows[0]?.credit_seq ?? "0";
    let kept = keptReads.get(key);
    let stalePolicies: { cluster: string; id: string; policies: string[] | null }[] = [];
    if (kept && kept.versions === versions && Date.now() - kept.readAt < MAX_AGE_MS) {
      keptReadStats.reused++;
      keep(key, kept);
      stalePolicies = (
        await query<{ cluster: string; id: string; policies: string[] | null }>(
          `SELECT p.cluster, p.id::text AS id, p.policies FROM drop_paths p WHERE p.policies_uncredited
           UNION SELECT p.cluster, p.id::text, p.policies FROM path_policy_credits c JOIN drop_paths p ON p.cluster = c.cluster AND p.id = c.drop_path_id
           WHERE c.seq > $1`,
          [kept.creditSeq],
        )
      ).rows;
    } else {
      keptReadStats.read++;
      const compacted = read(sealed, "compacted");
      const rows = new Map<string, StagePathNumbers>();
      for (const row of (await query<StagePathNumbers>(compacted.sql, compacted.values)).rows) rows.set(keyOf(row), row);
      kept = { versions, creditSeq, readAt: Date.now(), rows };
      keep(key, kept);
    }
    const late = read(sealed, "pending");
    const fresh = new Map<string, StagePathNumbers>();
    add(fresh, (await query<StagePathNumbers>(late.sql, late.values)).rows);
    if (sealedEnd < range.to) {
      const recent = read({ from: sealedEnd, to: range.to }, "live");
      add(fresh, (await query<StagePathNumbers>(recent.sql, recent.values)).rows);
    }
    const policiesNow = new Map(stalePolicies.map((row) => [keyOf(row), row.policies]));
    // Kept rows are shared between calls: each call answers with rows of its own.
    const answer: StagePathNumbers[] = [];
    for (const [rowKey, row] of kept.rows) {
      const recent = fresh.get(rowKey);
      const policies = recent ? recent.policies : policiesNow.has(rowKey) ? (policiesNow.get(rowKey) ?? null) : row.policies;
      answer.push({
        cluster: row.cluster,
        id: row.id,
        count: row.count + (recent?.count ?? 0),
        dropped: row.dropped + (recent?.dropped ?? 0),
        audit: row.audit + (recent?.audit ?? 0),
        other: row.other + (recent?.other ?? 0),
        before_split: row.before_split + (recent?.before_split ?? 0),
        policies,
      });
    }
    for (const [rowKey, row] of fresh) if (!kept.rows.has(rowKey)) answer.push(row);
    return answer;
  });
}
