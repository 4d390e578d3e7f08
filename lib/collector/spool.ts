// The collector's on-disk spool: every batch is written here before it is sent and removed once
// the server has it, so a server outage, a collector restart or a crash loses nothing. Bounded:
// past `maxBytes` the oldest batches are dropped, and the caller is told how many records went.
//
// Files are "<seq>[-<part>].r<records>[.txt|.agg].gz" (gzipped request bodies, sent as they are; .txt
// for text lines, .agg for aggregate batches); names sort in sending order. A lock file keeps two
// collectors from sharing one spool.
import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { isProcessAlive } from "../system/processes";

export type SpoolKind = "ndjson" | "text" | "aggregate";

export interface SpoolEntry {
  name: string;
  bytes: number;
  records: number;
  /** Text lines (Antrea's np.log) rather than JSON records: sent as text/plain. */
  text: boolean;
  /** An aggregate batch (collect --aggregate): one JSON object, sent as the aggregate content type. */
  aggregate: boolean;
}

const SUFFIX: Record<SpoolKind, string> = { ndjson: "", text: ".txt", aggregate: ".agg" };
const suffixOf = (entry: Pick<SpoolEntry, "text" | "aggregate">) => (entry.aggregate ? SUFFIX.aggregate : entry.text ? SUFFIX.text : SUFFIX.ndjson);

/** The sequence number a spool file name starts with. */
export function sequenceOf(entry: Pick<SpoolEntry, "name">): number {
  return Number(entry.name.slice(0, 16));
}

export interface Eviction {
  batches: number;
  records: number;
}

const ENTRY = /^(\d{16}(?:-\d+)*)\.r(\d+)(\.txt|\.agg)?\.gz$/;
const LOCK = "collector.lock";

export class SpoolLockedError extends Error {}

export class Spool {
  private entries: SpoolEntry[] = [];
  private totalBytes = 0;
  private nextSeq = 0;
  /** The entry being sent: never evicted under it. */
  private inFlight: string | null = null;

  private constructor(
    readonly dir: string,
    readonly maxBytes: number,
  ) {}

  /**
   * Opens (creating) the spool directory, takes its lock and picks up batches a previous run left.
   * New batches are numbered from `minSequence` at least (sequence numbers others have recorded).
   */
  static async open(dir: string, maxBytes: number, minSequence = 0): Promise<Spool> {
    await mkdir(dir, { recursive: true });
    await takeLock(dir);
    const spool = new Spool(dir, maxBytes);
    const names = (await readdir(dir)).filter((name) => ENTRY.test(name)).sort();
    for (const name of names) {
      const { size } = await stat(path.join(dir, name));
      const match = ENTRY.exec(name);
      spool.entries.push({ name, bytes: size, records: Number(match?.[2] ?? 0), text: match?.[3] === ".txt", aggregate: match?.[3] === ".agg" });
      spool.totalBytes += size;
    }
    const last = names.at(-1);
    spool.nextSeq = Math.max(minSequence, last ? Number(last.slice(0, 16)) + 1 : 0);
    // Leftover temp files are batches that were never completely written: never acknowledged, never sent.
    await Promise.all((await readdir(dir)).filter((name) => name.startsWith(".tmp-")).map((name) => rm(path.join(dir, name), { force: true })));
    return spool;
  }

  /** New batches are numbered from `sequence` at least. */
  advanceSequence(sequence: number): void {
    this.nextSeq = Math.max(this.nextSeq, sequence);
  }

  get batches(): number {
    return this.entries.length;
  }

  get bytes(): number {
    return this.totalBytes;
  }

  get records(): number {
    return this.entries.reduce((sum, entry) => sum + entry.records, 0);
  }

  oldest(): SpoolEntry | null {
    return this.entries[0] ?? null;
  }

  /**
   * Writes a batch durably (temp file, then rename), then drops the oldest batches past the bound.
   * `beforeSending`, given the batch's sequence number, runs once the file is written and before the
   * batch can be sent (the aggregating collector commits what the batch holds there).
   */
  async append(body: Buffer, records: number, kind: SpoolKind | boolean = "ndjson", beforeSending?: (sequence: number) => Promise<void>): Promise<Eviction> {
    const resolved: SpoolKind = kind === true ? "text" : kind === false ? "ndjson" : kind;
    const sequence = this.nextSeq++;
    const name = `${String(sequence).padStart(16, "0")}.r${records}${SUFFIX[resolved]}.gz`;
    await this.write(name, body);
    await beforeSending?.(sequence);
    this.entries.push({ name, bytes: body.length, records, text: resolved === "text", aggregate: resolved === "aggregate" });
    this.totalBytes += body.length;
    return this.evictPastBound();
  }

  /**
   * Removes aggregate batches numbered after `sequence`: written by a run that stopped before it
   * committed them, so its source will read their records again (the aggregating collector's restart).
   * Returns the records they held.
   */
  async discardAggregatesAfter(sequence: number): Promise<number> {
    let records = 0;
    for (const entry of [...this.entries]) {
      if (entry.aggregate && sequenceOf(entry) > sequence) {
        records += entry.records;
        await this.remove(entry);
      }
    }
    return records;
  }

  async read(entry: SpoolEntry): Promise<Buffer> {
    this.inFlight = entry.name;
    return readFile(path.join(this.dir, entry.name));
  }

  /** The entry was sent (or refused for good): forget it. */
  async remove(entry: SpoolEntry): Promise<void> {
    if (this.inFlight === entry.name) this.inFlight = null;
    const index = this.entries.findIndex((e) => e.name === entry.name);
    if (index === -1) return;
    this.entries.splice(index, 1);
    this.totalBytes -= entry.bytes;
    await rm(path.join(this.dir, entry.name), { force: true });
  }

  /** Replaces an entry by smaller ones in its place in the order (a batch the server found too large). */
  async split(entry: SpoolEntry, parts: { body: Buffer; records: number }[]): Promise<void> {
    const base = entry.name.slice(0, entry.name.indexOf(".r"));
    const index = this.entries.findIndex((e) => e.name === entry.name);
    const replacements: SpoolEntry[] = [];
    for (const [i, part] of parts.entries()) {
      const name = `${base}-${i}.r${part.records}${suffixOf(entry)}.gz`;
      await this.write(name, part.body);
      replacements.push({ name, bytes: part.body.length, records: part.records, text: entry.text, aggregate: entry.aggregate });
    }
    await this.remove(entry);
    this.entries.splice(index === -1 ? 0 : index, 0, ...replacements);
    this.totalBytes += replacements.reduce((sum, e) => sum + e.bytes, 0);
  }

  async close(): Promise<void> {
    await rm(path.join(this.dir, LOCK), { force: true });
  }

  private async write(name: string, body: Buffer): Promise<void> {
    const temp = path.join(this.dir, `.tmp-${name}`);
    const handle = await open(temp, "w");
    try {
      await handle.writeFile(body);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path.join(this.dir, name));
  }

  private async evictPastBound(): Promise<Eviction> {
    const evicted: Eviction = { batches: 0, records: 0 };
    // The newest batch always stays, even alone over the bound: dropping what just arrived helps no one.
    while (this.totalBytes > this.maxBytes && this.entries.length > 1) {
      const victim = this.entries.find((e) => e.name !== this.inFlight && e !== this.entries.at(-1));
      if (!victim) break;
      await this.remove(victim);
      evicted.batches++;
      evicted.records += victim.records;
    }
    return evicted;
  }
}

/** One collector per spool: a lock file holding the owner's pid; a dead owner's lock is taken over. */
async function takeLock(dir: string): Promise<void> {
  const lock = path.join(dir, LOCK);
  try {
    await writeFile(lock, String(process.pid), { flag: "wx" });
    return;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  const owner = Number((await readFile(lock, "utf8").catch(() => "")).trim());
  if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isProcessAlive(owner)) {
    throw new SpoolLockedError(`spool ${dir} is in use by another collector (pid ${owner}); give each collector its own --spool-dir`);
  }
  await writeFile(lock, String(process.pid));
}
