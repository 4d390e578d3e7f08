// De-duplication at the edge, for a collector that aggregates (aggregator.ts). The server stores no
// identity for an aggregated event, so the collector recognises a record it has already counted
// itself: by its identity as the server would compute it (time, cluster and the source's id, e.g. a
// Hubble flow's uuid), within a window of event time (the newest record's time, less the window).
// That covers what a collector reads twice: a native source's resume overlap after a reconnect, a
// record repeated in a stream. What it cannot cover: a record read by two collectors (each counts
// it), and one repeated further apart than the window.
//
// Identities are held as 64-bit hashes (a 4-character string each, a fraction of the identity's
// size). A restart must remember too: a native source resumes 30 s before its saved cursor, re-reading
// flows the last run counted. So the hashes each spooled batch added are written next to the spool
// (edge/seen-<sequence>.bin) before the batch can be sent, and a batch counts as committed once
// edge/commit.json names its sequence; a restarted collector loads the committed batches' hashes,
// and drops aggregate batches written after the last commit (their records are read again).
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";

/**
 * A 64-bit hash of a record's identity (time, cluster, source id) as 4 UTF-16 units: the hash of
 * cyrb53 (two multiplicative lanes, cross-mixed), both lanes kept.
 */
export function identityHash(timeMs: number, cluster: string, key: string): string {
  let h1 = 0xdeadbeef ^ (timeMs >>> 0);
  let h2 = 0x41c6ce57 ^ Math.floor(timeMs / 4294967296);
  for (let i = 0; i < cluster.length; i++) {
    const ch = cluster.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  // A separator no name holds keeps ("ab", "c") and ("a", "bc") apart.
  h1 = Math.imul(h1 ^ 0x1f, 2654435761);
  h2 = Math.imul(h2 ^ 0x1f, 1597334677);
  for (let i = 0; i < key.length; i++) {
    const ch = key.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return String.fromCharCode(h1 & 0xffff, h1 >>> 16, h2 & 0xffff, h2 >>> 16);
}

const SECOND_MS = 1000;

export interface EdgeDedupeOptions {
  /** How far back from the newest record's time identities are remembered. */
  windowMs: number;
  /** At most this many identities are held: past it the oldest seconds are forgotten early. */
  maxEntries?: number;
  /** Keep the hashes each batch adds (takeAdded), for a source that resumes with an overlap. */
  track: boolean;
  /** Told once when the bound shortened the window. */
  onShortened?: (heldMs: number) => void;
}

export const DEFAULT_MAX_ENTRIES = 2_000_000;

export class EdgeDedupe {
  private readonly seen = new Set<string>();
  /** Event-time second -> the hashes first seen in it (for forgetting them). */
  private readonly seconds = new Map<number, string[]>();
  private newestSecond = -Infinity;
  private added: string[] = [];
  private addedNewest = -Infinity;
  private shortenedTold = false;
  private readonly windowSeconds: number;
  private readonly maxEntries: number;

  constructor(private readonly options: EdgeDedupeOptions) {
    this.windowSeconds = Math.ceil(options.windowMs / SECOND_MS);
    this.maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  }

  get size(): number {
    return this.seen.size;
  }

  /** True when this record was seen within the window (a duplicate); else it is remembered. */
  isDuplicate(timeMs: number, cluster: string, key: string): boolean {
    const hash = identityHash(timeMs, cluster, key);
    if (this.seen.has(hash)) return true;
    this.remember(hash, timeMs);
    if (this.options.track) {
      this.added.push(hash);
      if (timeMs > this.addedNewest) this.addedNewest = timeMs;
    }
    return false;
  }

  /** The hashes remembered since the last call, and the newest time among them (a batch's share). */
  takeAdded(): { hashes: string[]; newest: number } {
    const taken = { hashes: this.added, newest: this.addedNewest };
    this.added = [];
    this.addedNewest = -Infinity;
    return taken;
  }

  /** Hashes an earlier run committed (their batch's newest time stands for all of them). */
  restore(hashes: readonly string[], timeMs: number): void {
    for (const hash of hashes) if (!this.seen.has(hash)) this.remember(hash, timeMs);
  }

  private remember(hash: string, timeMs: number): void {
    const second = Math.floor(timeMs / SECOND_MS);
    let bucket = this.seconds.get(second);
    if (bucket === undefined) this.seconds.set(second, (bucket = []));
    bucket.push(hash);
    this.seen.add(hash);
    if (second > this.newestSecond) {
      this.newestSecond = second;
      this.forgetBefore(second - this.windowSeconds);
    }
    if (this.seen.size > this.maxEntries) this.forgetOldest();
  }

  private forgetBefore(second: number): void {
    for (const [s, hashes] of this.seconds) {
      if (s >= second) continue;
      for (const hash of hashes) this.seen.delete(hash);
      this.seconds.delete(s);
    }
  }

  /** Over the bound: the oldest seconds go, until it holds again. */
  private forgetOldest(): void {
    const ordered = [...this.seconds.keys()].sort((a, b) => a - b);
    for (const second of ordered) {
      if (this.seen.size <= this.maxEntries * 0.9) break;
      for (const hash of this.seconds.get(second) ?? []) this.seen.delete(hash);
      this.seconds.delete(second);
    }
    if (!this.shortenedTold && ordered.length > 0) {
      this.shortenedTold = true;
      const oldest = [...this.seconds.keys()].reduce((a, b) => Math.min(a, b), this.newestSecond);
      this.options.onShortened?.((this.newestSecond - oldest) * SECOND_MS);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The ledger on disk: what each committed batch added, and which batch was committed last.

const EDGE_DIR = "edge";
const COMMIT_FILE = "commit.json";
const SEEN_FILE = /^seen-(\d{16})\.bin$/;

export interface RestoredLedger {
  /** The last committed batch's spool sequence; null when no aggregating run committed one here. */
  committed: number | null;
  /** Hashes of committed batches still inside the window, with their batch's newest time. */
  seen: { hashes: string[]; newest: number }[];
}

export class EdgeLedger {
  private readonly dir: string;
  /** Seen files written, with their newest time: pruned once the window has passed them. */
  private readonly files = new Map<number, number>();

  constructor(spoolDir: string) {
    this.dir = path.join(spoolDir, EDGE_DIR);
  }

  /**
   * Reads what earlier runs committed. Seen files of batches never committed are removed (so are
   * those batches: Spool.discardAggregatesAfter), and those older than the window are not loaded.
   */
  async restore(windowMs: number): Promise<RestoredLedger> {
    await mkdir(this.dir, { recursive: true });
    const committed = await this.readCommitted();
    const names = (await readdir(this.dir)).filter((name) => SEEN_FILE.test(name));
    const loaded: { sequence: number; hashes: string[]; newest: number }[] = [];
    for (const name of names) {
      const sequence = Number(SEEN_FILE.exec(name)?.[1]);
      if (committed === null || sequence > committed) {
        await rm(path.join(this.dir, name), { force: true });
        continue;
      }
      const bytes = await readFile(path.join(this.dir, name)).catch(() => null);
      if (bytes === null || bytes.length < 8 || (bytes.length - 8) % 8 !== 0) continue;
      const newest = bytes.readDoubleLE(0);
      const hashes: string[] = new Array((bytes.length - 8) / 8);
      for (let i = 0, at = 8; i < hashes.length; i++, at += 8) {
        hashes[i] = String.fromCharCode(bytes.readUInt16LE(at), bytes.readUInt16LE(at + 2), bytes.readUInt16LE(at + 4), bytes.readUInt16LE(at + 6));
      }
      loaded.push({ sequence, hashes, newest });
    }
    const newestOfAll = loaded.reduce((max, f) => Math.max(max, f.newest), -Infinity);
    const seen: RestoredLedger["seen"] = [];
    for (const file of loaded) {
      this.files.set(file.sequence, file.newest);
      if (file.newest >= newestOfAll - windowMs) seen.push({ hashes: file.hashes, newest: file.newest });
    }
    return { committed, seen };
  }

  /** Writes the hashes a batch added (before the batch may be sent). */
  async writeSeen(sequence: number, hashes: readonly string[], newest: number): Promise<void> {
    if (hashes.length === 0) return;
    const bytes = Buffer.alloc(8 + hashes.length * 8);
    bytes.writeDoubleLE(newest, 0);
    for (let i = 0, at = 8; i < hashes.length; i++, at += 8) {
      const hash = hashes[i] as string;
      for (let u = 0; u < 4; u++) bytes.writeUInt16LE(hash.charCodeAt(u), at + u * 2);
    }
    const name = `seen-${String(sequence).padStart(16, "0")}.bin`;
    await writeFile(path.join(this.dir, `.tmp-${name}`), bytes);
    await rename(path.join(this.dir, `.tmp-${name}`), path.join(this.dir, name));
    this.files.set(sequence, newest);
  }

  /** Marks every batch up to `sequence` committed: its records are not to be read again. */
  async commit(sequence: number): Promise<void> {
    const temp = path.join(this.dir, `.tmp-${COMMIT_FILE}`);
    await writeFile(temp, JSON.stringify({ sequence }));
    await rename(temp, path.join(this.dir, COMMIT_FILE));
  }

  /** Removes seen files the window has passed (newest record time older than `before`). */
  async prune(before: number): Promise<void> {
    for (const [sequence, newest] of this.files) {
      if (newest >= before) continue;
      this.files.delete(sequence);
      await rm(path.join(this.dir, `seen-${String(sequence).padStart(16, "0")}.bin`), { force: true });
    }
  }

  private async readCommitted(): Promise<number | null> {
    try {
      const saved = JSON.parse(await readFile(path.join(this.dir, COMMIT_FILE), "utf8")) as { sequence?: unknown };
      return typeof saved.sequence === "number" && Number.isSafeInteger(saved.sequence) && saved.sequence >= 0 ? saved.sequence : null;
    } catch {
      return null;
    }
  }
}
