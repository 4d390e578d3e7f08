// Reads whose settled hours are kept in memory between calls (rollout health's per-path counts,
// the dashboard's series). Most of what a dashboard or a rollout's health asks again every 30 s is
// hours that no longer change; only the last hour and what arrived late need reading again.
//
// A read of [from, to) is the compacted counts of [from, sealedEnd) (whole hours ending at least
// SETTLE_MS before now), kept in memory, plus what is pending compaction in those hours plus every
// count of [sealedEnd, to), all read in one snapshot. The kept part is exact while nothing changed
// it, and what can change it says so (migration 20261204100000_rollup_versions):
// - counts: the compactor bumps each hour's version as it moves counts into it (late records
//   included); retention bumps the '-infinity' generation when it deletes. Any difference: re-read.
//   As hours finish, the kept read grows by them (read in the snapshot that checks the rest).
// - facts of rows that change without counts (a path's policies): a spec's `restate` reads them
//   as they are now (sealedPathCounts.ts).
// A spec's reads of a part must cut it only at whole hours of the tables they read (no day rollup).
import type pg from "pg";
import { readQuery, readSnapshot } from "./readPool";
import type { TimeRange } from "./timeRange";

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
/** Counts of the last minutes still arrive in bulk: kept hours end at least this long before now. */
const SETTLE_MS = 5 * 60_000;
/** A kept read is used this long after its policies were last brought up to date: well inside the credit log's two hours. */
const MAX_AGE_MS = 70 * 60_000;
/** Rows kept over all reads (~450 bytes each: ~135 MB at most; slimmer rows weigh less); a read larger than this is not kept. */
const MAX_KEPT_ROWS = 300_000;
/** Windows kept: a few per active rollout, and per chart being looked at (one per range, step and filters). */
const MAX_KEPT_READS = 1_000;

/**
 * Which counts a read sees: "live" all of them (the rollups and what is pending compaction),
 * "compacted" the rollups only, "pending" what the compactor has not moved yet. Compacted plus
 * pending is live, which lets a read of compacted hours be kept.
 */
export type CountSource = "live" | "compacted" | "pending";

interface KeptRead {
  sealedEnd: number;
  /** The versions of its hours and retention's generation, as `at=version,...`. */
  versions: string;
  /** The credit log's newest entry when its rows' facts were read: credits after it are re-read. */
  creditSeq: string;
  factsAt: number;
  /** Shared between calls: never changed (sums are new rows). */
  rows: Map<string, unknown>;
  /** What one row weighs against MAX_KEPT_ROWS. */
  weight: number;
}

interface HourVersion {
  at: number;
  version: string;
}

export type KeptQuery = <R extends pg.QueryResultRow>(sql: string, values?: readonly unknown[]) => Promise<pg.QueryResult<R>>;

/** What a kept read reads, and how its rows add up. */
export interface KeptReadSpec<Row extends pg.QueryResultRow> {
  /** What the read is, besides how far it is kept (its `to`). */
  identity: unknown[];
  read(part: TimeRange, source: CountSource): { sql: string; values: unknown[] };
  keyOf(row: Row): string;
  /** A new row: both counts; `later`'s facts (read after `earlier`'s). */
  plus(earlier: Row, later: Row): Row;
  /** Facts of kept rows that may have changed since `creditSeq`, as they are now (a path's policies). */
  restate?(query: KeptQuery, creditSeq: string): Promise<Map<string, Partial<Row>>>;
  /** What a row weighs against the rows kept, as a fraction of a full row of counts (~450 bytes): default 1. */
  weight?: number;
  /** A compacted row as it is kept (e.g. sharing facts equal to other rows'): default, as read. */
  keepRow?(row: Row): Row;
}

/**
 * A kept read's answer in its parts: the kept rows (shared between calls, and the same Map object
 * while nothing changed them), the facts restated since they were read, and the rows read now. A
 * row's answer is its kept row with its restated facts, plus its fresh row (`plus`), whose facts win.
 */
export interface KeptParts<Row> {
  kept: ReadonlyMap<string, Row>;
  restated: ReadonlyMap<string, Partial<Row>>;
  fresh: ReadonlyMap<string, Row>;
}

const holder = globalThis as unknown as { dropboardKeptReads?: Map<string, KeptRead> };
const keptReads = (holder.dropboardKeptReads ??= new Map());

/** How often a read used kept hours (reused), grew them by finished hours (extended) or read them all (read): for tests. */
export const keptReadStats = { reused: 0, extended: 0, read: 0 };

const versionsBefore = (versions: readonly HourVersion[], end: number) => versions.filter((v) => v.at < end).map((v) => `${v.at}=${v.version}`).join(",");

/** Keeps a read (most recently used last), dropping stale and least recently used ones over the bounds. */
function keep(key: string, read: KeptRead): void {
  keptReads.delete(key);
  if (read.rows.size * read.weight <= MAX_KEPT_ROWS) keptReads.set(key, read);
  let total = 0;
  for (const [other, kept] of keptReads) {
    if (Date.now() - kept.factsAt >= MAX_AGE_MS) keptReads.delete(other);
    else total += kept.rows.size * kept.weight;
  }
  for (const [oldest, kept] of keptReads) {
    if (total <= MAX_KEPT_ROWS && keptReads.size <= MAX_KEPT_READS) break;
    keptReads.delete(oldest);
    total -= kept.rows.size * kept.weight;
  }
}

/** Adds rows into a map of rows (new rows for sums: the map's may be shared). */
function addAll<Row extends pg.QueryResultRow>(spec: KeptReadSpec<Row>, into: Map<string, Row>, rows: readonly Row[]): void {
  for (const row of rows) {
    const key = spec.keyOf(row);
    const found = into.get(key);
    into.set(key, found ? spec.plus(found, row) : row);
  }
}

function keptRows<Row extends pg.QueryResultRow>(spec: KeptReadSpec<Row>, rows: Row[]): Row[] {
  const keepRow = spec.keepRow;
  return keepRow ? rows.map((row) => keepRow.call(spec, row)) : rows;
}

/** Emptied between tests that rewrite history under one key (and by nothing else). */
export function forgetKeptReads(): void {
  keptReads.clear();
}

/**
 * How far a window is kept: a window that ended (a baseline, a past stage) to its end; one still
 * moving, to its last finished hour (the hour being written changes with every compaction).
 */
export function sealedEndOf(range: TimeRange, now: Date): number {
  const settled = now.getTime() - SETTLE_MS;
  return range.to.getTime() <= settled ? range.to.getTime() : Math.floor(settled / HOUR_MS) * HOUR_MS;
}

/** A read of a window: its settled hours kept between calls, the rest read now, in one snapshot. */
export async function readKept<Row extends pg.QueryResultRow>(spec: KeptReadSpec<Row>, range: TimeRange, now: Date): Promise<Row[]> {
  const answer: Row[] = [];
  forEachRow(await readKeptParts(spec, range, now), (earlier, later) => spec.plus(earlier, later), (_, row) => answer.push(row));
  return answer;
}

/** Each row of a kept read's answer with its key, as readKept gives them (a caller that needs keys needs no map of its own). */
export function forEachRow<Row>(parts: KeptParts<Row>, plus: (earlier: Row, later: Row) => Row, visit: (key: string, row: Row) => void): void {
  for (const [key, row] of parts.kept) visit(key, rowAsNow(row, parts.restated.get(key), parts.fresh.get(key), plus));
  for (const [key, row] of parts.fresh) if (!parts.kept.has(key)) visit(key, row);
}

/** A kept row as it is now: with its restated facts, plus its fresh row (whose facts win). */
function rowAsNow<Row>(row: Row, change: Partial<Row> | undefined, recent: Row | undefined, plus: (earlier: Row, later: Row) => Row): Row {
  const asNow = change ? { ...row, ...change } : row;
  return recent ? plus(asNow, recent) : asNow;
}

/** One row of a kept read's answer, by key, as readKept gives it (undefined: not in the answer). */
export function partsRow<Row>(parts: KeptParts<Row>, key: string, plus: (earlier: Row, later: Row) => Row): Row | undefined {
  const row = parts.kept.get(key);
  return row === undefined ? parts.fresh.get(key) : rowAsNow(row, parts.restated.get(key), parts.fresh.get(key), plus);
}

/** readKept's answer in its parts, for a caller that keeps what it derives from the kept rows too. */
export async function readKeptParts<Row extends pg.QueryResultRow>(spec: KeptReadSpec<Row>, range: TimeRange, now: Date): Promise<KeptParts<Row>> {
  const sealedEnd = sealedEndOf(range, now);
  // Under an hour to keep: one live read.
  if (sealedEnd - range.from.getTime() < HOUR_MS) {
    const { sql, values } = spec.read(range, "live");
    const fresh = new Map<string, Row>();
    addAll(spec, fresh, (await readQuery<Row>(sql, values)).rows);
    return { kept: new Map(), restated: new Map(), fresh };
  }
  const key = JSON.stringify([range.from.toISOString(), ...spec.identity]);
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
    const usable = found && growable(found) && Date.now() - found.factsAt < MAX_AGE_MS && versionsBefore(versions, found.sealedEnd) === found.versions ? found : undefined;
    const restate = async (since: string) => (spec.restate ? spec.restate(query, since) : new Map<string, Partial<Row>>());
    let kept: KeptRead;
    let restated = new Map<string, Partial<Row>>();
    if (usable && usable.sealedEnd === sealedEnd) {
      keptReadStats.reused++;
      kept = usable;
      restated = await restate(kept.creditSeq);
      // Nothing restated: every kept fact is as of this snapshot's credit log, so the read stays
      // usable from here (same rows, so what callers derived from them stays too). Else it ages out.
      if (restated.size === 0 && spec.restate) kept = { ...usable, creditSeq, factsAt: Date.now() };
      keep(key, kept);
    } else if (usable) {
      // Hours finished since: read them, and bring every kept row's facts up to now.
      keptReadStats.extended++;
      const changed = await restate(usable.creditSeq);
      const rows = new Map<string, Row>();
      for (const [rowKey, row] of usable.rows as Map<string, Row>) {
        const change = changed.get(rowKey);
        rows.set(rowKey, change ? { ...row, ...change } : row);
      }
      const grown = spec.read({ from: new Date(usable.sealedEnd), to: new Date(sealedEnd) }, "compacted");
      addAll(spec, rows, keptRows(spec, (await query<Row>(grown.sql, grown.values)).rows));
      kept = { sealedEnd, versions: versionsBefore(versions, sealedEnd), creditSeq, factsAt: Date.now(), rows, weight: spec.weight ?? 1 };
      keep(key, kept);
    } else {
      keptReadStats.read++;
      const compacted = spec.read({ from: range.from, to: new Date(sealedEnd) }, "compacted");
      const rows = new Map<string, Row>();
      addAll(spec, rows, keptRows(spec, (await query<Row>(compacted.sql, compacted.values)).rows));
      kept = { sealedEnd, versions: versionsBefore(versions, sealedEnd), creditSeq, factsAt: Date.now(), rows, weight: spec.weight ?? 1 };
      keep(key, kept);
    }
    const fresh = new Map<string, Row>();
    const late = spec.read({ from: range.from, to: new Date(sealedEnd) }, "pending");
    addAll(spec, fresh, (await query<Row>(late.sql, late.values)).rows);
    if (sealedEnd < range.to.getTime()) {
      const recent = spec.read({ from: new Date(sealedEnd), to: range.to }, "live");
      addAll(spec, fresh, (await query<Row>(recent.sql, recent.values)).rows);
    }
    return { kept: kept.rows as Map<string, Row>, restated, fresh };
  });
}
