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
//   As hours finish, the kept read grows by them (read in the snapshot that checks the rest).
// - attribution: a path's policies change only through ingest marking it uncredited, then the
//   compactor crediting it (logged in path_policy_credits, in commit order). Kept rows take the
//   policies of paths uncredited now or credited since they were read, as drop_paths has them now.
import { scopeCondition, type Scope } from "../../rollouts/scope";
import { readQuery, readSnapshot } from "../readPool";
import { SqlParams } from "../sqlParams";
import type { TimeRange } from "../timeRange";
import { stagePathNumbersQuery, type CountSource, type StagePathCountsOptions, type StagePathNumbers } from "./getStagePathCounts";

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
/** Counts of the last minutes still arrive in bulk: kept hours end at least this long before now. */
const SETTLE_MS = 5 * 60_000;
/** A kept read is used this long after its policies were last brought up to date: well inside the credit log's two hours. */
const MAX_AGE_MS = 70 * 60_000;
/** Paths kept over all reads (~450 bytes each: ~135 MB at most); a read larger than this is not kept. */
const MAX_KEPT_PATHS = 300_000;
/** Windows kept: a few per active rollout. */
const MAX_KEPT_READS = 200;

interface KeptRead {
  sealedEnd: number;
  /** The versions of its hours and retention's generation, as `at=version,...`. */
  versions: string;
  /** The credit log's newest entry when its policies were read: credits after it are re-read. */
  creditSeq: string;
  policiesAt: number;
  rows: Map<string, StagePathNumbers>;
}

interface HourVersion {
  at: number;
  version: string;
}

const holder = globalThis as unknown as { dropboardKeptReads?: Map<string, KeptRead> };
const keptReads = (holder.dropboardKeptReads ??= new Map());

/** How often a read used kept hours (reused), grew them by finished hours (extended) or read them all (read): for tests. */
export const keptReadStats = { reused: 0, extended: 0, read: 0 };

const keyOf = (row: { cluster: string; id: string }) => `${row.cluster}/${row.id}`;
const versionsBefore = (versions: readonly HourVersion[], end: number) => versions.filter((v) => v.at < end).map((v) => `${v.at}=${v.version}`).join(",");

/** Keeps a read (most recently used last), dropping stale and least recently used ones over the bounds. */
function keep(key: string, read: KeptRead): void {
  keptReads.delete(key);
  if (read.rows.size <= MAX_KEPT_PATHS) keptReads.set(key, read);
  let total = 0;
  for (const [other, kept] of keptReads) {
    if (Date.now() - kept.policiesAt >= MAX_AGE_MS) keptReads.delete(other);
    else total += kept.rows.size;
  }
  for (const [oldest, kept] of keptReads) {
    if (total <= MAX_KEPT_PATHS && keptReads.size <= MAX_KEPT_READS) break;
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

type Query = <R extends import("pg").QueryResultRow>(sql: string, values?: readonly unknown[]) => Promise<import("pg").QueryResult<R>>;

/** The policies, now, of the paths in scope whose policies may have changed since `creditSeq`. */
async function changedPolicies(query: Query, creditSeq: string, clusters: readonly string[], scope: Scope): Promise<Map<string, string[] | null>> {
  const params = new SqlParams();
  const seq = params.add(creditSeq);
  const inScope = `${scopeCondition("p.namespace", scope, params)}${clusters.length > 0 ? ` AND p.cluster = ANY(${params.add(clusters)}::text[])` : ""}`;
  const { rows } = await query<{ cluster: string; id: string; policies: string[] | null }>(
    `SELECT p.cluster, p.id::text AS id, p.policies FROM drop_paths p WHERE p.policies_uncredited AND ${inScope}
     UNION SELECT p.cluster, p.id::text, p.policies FROM path_policy_credits c JOIN drop_paths p ON p.cluster = c.cluster AND p.id = c.drop_path_id
     WHERE c.seq > ${seq}::bigint AND ${inScope}`,
    params.values,
  );
  return new Map(rows.map((row) => [keyOf(row), row.policies]));
}

/** Emptied between tests that rewrite history under one key (and by nothing else). */
export function forgetKeptReads(): void {
  keptReads.clear();
}

/**
 * Per-path numbers of a window in scope: the same as getStagePathCounts' (without the paths'
 * descriptions), with the window's finished hours kept between calls. The rows are shared: read only.
 */
export async function getStagePathNumbers(range: TimeRange, clusters: readonly string[], scope: Scope, options: Pick<StagePathCountsOptions, "auditOnly" | "splitAt">, now: Date): Promise<StagePathNumbers[]> {
  // A window that ended (a baseline, a past stage) is kept to its end; one still moving, to its
  // last finished hour (the hour being written changes with every compaction).
  const settled = now.getTime() - SETTLE_MS;
  const sealedEnd = range.to.getTime() <= settled ? range.to.getTime() : Math.floor(settled / HOUR_MS) * HOUR_MS;
  const read = (part: TimeRange, source: CountSource) => stagePathNumbersQuery(part, clusters, scope, options, source);
  // Under an hour to keep: one live read.
  if (sealedEnd - range.from.getTime() < HOUR_MS) {
    const { sql, values } = read(range, "live");
    return (await readQuery<StagePathNumbers>(sql, values)).rows;
  }
  // The split only matters to kept hours when it falls inside them (a stage's is at its end).
  const split = options.splitAt === undefined ? "-" : options.splitAt.getTime() >= sealedEnd ? "after" : options.splitAt.toISOString();
  const key = JSON.stringify([range.from.toISOString(), clusters, scope, options.auditOnly ?? false, split]);
  return readSnapshot(async (query) => {
    const hourFrom = Math.floor(range.from.getTime() / HOUR_MS) * HOUR_MS;
    const { rows: header } = await query<{ versions: { at: number | string; version: string }[] | null; credit_seq: string }>(
      `SELECT (SELECT json_agg(json_build_object('at', extract(epoch FROM hour) * 1000, 'version', version::text) ORDER BY hour)
               FROM rollup_hour_versions WHERE hour = '-infinity' OR (hour >= $1 AND hour < $2)) AS versions,
              (SELECT coalesce(max(seq), 0)::text FROM path_policy_credits) AS credit_seq`,
      [new Date(hourFrom), new Date(sealedEnd)],
    );
    // JSON has no -Infinity: retention's generation comes back as the string "-Infinity".
    const versions: HourVersion[] = (header[0]?.versions ?? []).map((v) => ({ at: Number(v.at), version: v.version }));
    const creditSeq = header[0]?.credit_seq ?? "0";
    const found = keptReads.get(key);
    // Growing a read that ended inside a minute would count that minute twice (reads widen to whole minutes).
    const growable = (kept: KeptRead) => kept.sealedEnd === sealedEnd || (kept.sealedEnd < sealedEnd && kept.sealedEnd % MINUTE_MS === 0);
    const usable = found && growable(found) && Date.now() - found.policiesAt < MAX_AGE_MS && versionsBefore(versions, found.sealedEnd) === found.versions ? found : undefined;
    let kept: KeptRead;
    let policiesNow = new Map<string, string[] | null>();
    if (usable && usable.sealedEnd === sealedEnd) {
      keptReadStats.reused++;
      kept = usable;
      keep(key, kept);
      policiesNow = await changedPolicies(query, kept.creditSeq, clusters, scope);
    } else if (usable) {
      // Hours finished since: read them, and bring every kept path's policies up to now.
      keptReadStats.extended++;
      const grown = read({ from: new Date(usable.sealedEnd), to: new Date(sealedEnd) }, "compacted");
      const changed = await changedPolicies(query, usable.creditSeq, clusters, scope);
      const rows = new Map<string, StagePathNumbers>();
      for (const [rowKey, row] of usable.rows) rows.set(rowKey, changed.has(rowKey) ? { ...row, policies: changed.get(rowKey) ?? null } : row);
      const grownRows = (await query<StagePathNumbers>(grown.sql, grown.values)).rows;
      // Copies of the kept rows that grow: the old ones may be in use by a call still reading them.
      for (const row of grownRows) {
        const old = rows.get(keyOf(row));
        if (old) rows.set(keyOf(row), { ...old });
      }
      add(rows, grownRows);
      kept = { sealedEnd, versions: versionsBefore(versions, sealedEnd), creditSeq, policiesAt: Date.now(), rows };
      keep(key, kept);
    } else {
      keptReadStats.read++;
      const compacted = read({ from: range.from, to: new Date(sealedEnd) }, "compacted");
      const rows = new Map<string, StagePathNumbers>();
      for (const row of (await query<StagePathNumbers>(compacted.sql, compacted.values)).rows) rows.set(keyOf(row), row);
      kept = { sealedEnd, versions: versionsBefore(versions, sealedEnd), creditSeq, policiesAt: Date.now(), rows };
      keep(key, kept);
    }
    const late = read({ from: range.from, to: new Date(sealedEnd) }, "pending");
    const fresh = new Map<string, StagePathNumbers>();
    add(fresh, (await query<StagePathNumbers>(late.sql, late.values)).rows);
    if (sealedEnd < range.to.getTime()) {
      const recent = read({ from: new Date(sealedEnd), to: range.to }, "live");
      add(fresh, (await query<StagePathNumbers>(recent.sql, recent.values)).rows);
    }
    // Kept rows are shared between calls and never changed: a row that changed is answered anew.
    const answer: StagePathNumbers[] = [];
    for (const [rowKey, row] of kept.rows) {
      const recent = fresh.get(rowKey);
      if (!recent && !policiesNow.has(rowKey)) {
        answer.push(row);
        continue;
      }
      const policies = recent ? recent.policies : (policiesNow.get(rowKey) ?? null);
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
