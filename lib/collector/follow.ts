// Following a log file as `tail -F` does: new lines as they are written, across rotation (the
// path now names a new file: the old one is read to its end first) and truncation (copytruncate).
// After a restart it resumes at the saved position, also when the file was rotated or truncated
// in between (resume.ts). Polling rather than fs.watch, which misses events on some filesystems
// (overlay, NFS).
import { open, stat, type FileHandle } from "node:fs/promises";
import type { FilePosition, SavedPosition } from "./position";
import { planResume } from "./resume";
import { sleep } from "./signals";

export interface FollowedLine {
  line: string;
  /** The position just after this line: saved once the line is safely spooled. */
  position: FilePosition;
}

export interface FollowOptions {
  path: string;
  /** Where an earlier run stopped; null on the first run, which starts per `fromStart`. */
  resume: SavedPosition | null;
  fromStart: boolean;
  pollMs?: number;
  signal: AbortSignal;
  /** Told when the file is missing and when it appears, and what a restart found (rotation, truncation). */
  onNotice?: (message: string) => void;
}

const CHUNK = 1 << 20;
const MAX_LINE = 1 << 20;

/** One open file, read in whole lines from `offset`. */
class LineReader {
  private pending: Buffer = Buffer.alloc(0);

  constructor(
    readonly handle: FileHandle,
    readonly ino: number,
    public offset: number,
  ) {}

  /** Restarts at the beginning (the file was truncated in place). */
  rewind(): void {
    this.offset = 0;
    this.pending = Buffer.alloc(0);
  }

  /** Lines in the next chunk up to `size`; a partial last line waits for its newline. */
  async *read(size: number): AsyncGenerator<FollowedLine> {
    const length = Math.min(CHUNK, size - this.offset);
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await this.handle.read(buffer, 0, length, this.offset);
    const chunkStart = this.offset;
    let start = 0;
    for (let i = 0; i < bytesRead; i++) {
      if (buffer[i] !== 0x0a) continue;
      // Bytes, not text, until the newline: a chunk may end inside a multi-byte character.
      const raw = Buffer.concat([this.pending, buffer.subarray(start, i)]);
      this.pending = Buffer.alloc(0);
      start = i + 1;
      const line = raw.toString("utf8");
      const text = line.endsWith("\r") ? line.slice(0, -1) : line;
      if (text.trim() !== "") yield { line: text, position: { ino: this.ino, offset: chunkStart + i + 1, line: raw } };
    }
    // Absurdly long partial lines are cut rather than held forever.
    this.pending = Buffer.concat([this.pending, buffer.subarray(start, bytesRead)]);
    if (this.pending.length > MAX_LINE) this.pending = Buffer.alloc(0);
    this.offset = chunkStart + bytesRead;
  }

  /** Everything up to the file's current end. */
  async *readToEnd(): AsyncGenerator<FollowedLine> {
    for (;;) {
      const { size } = await this.handle.stat();
      if (size <= this.offset) return;
      yield* this.read(size);
    }
  }
}

export async function* followFile(options: FollowOptions): AsyncGenerator<FollowedLine> {
  const pollMs = options.pollMs ?? 250;
  const plan = await planResume(options.path, options.resume, options.fromStart);
  if (plan.notice) options.onNotice?.(plan.notice);
  let start = plan.start;
  let reader: LineReader | null = null;
  let waiting = false;

  /** Opens the file at the path, at `start` the first time and at its beginning after a rotation. */
  const openCurrent = async (): Promise<LineReader | null> => {
    let handle: FileHandle;
    try {
      handle = await open(options.path, "r");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      if (!waiting) options.onNotice?.(`waiting for ${options.path} to appear`);
      waiting = true;
      return null;
    }
    if (waiting) options.onNotice?.(`${options.path} appeared`);
    waiting = false;
    const info = await handle.stat();
    let offset = 0;
    if (start === "end") offset = info.size;
    else if (start !== "start" && start.ino === info.ino && start.offset <= info.size) offset = start.offset;
    start = "start";
    return new LineReader(handle, info.ino, offset);
  };

  try {
    if (plan.finish) {
      const handle = await open(plan.finish.path, "r");
      reader = new LineReader(handle, plan.finish.ino, plan.finish.offset);
      for await (const line of reader.readToEnd()) {
        yield line;
        if (options.signal.aborted) return;
      }
      await reader.handle.close();
      reader = null;
    }
    while (!options.signal.aborted) {
      if (reader === null && (reader = await openCurrent()) === null) {
        await sleep(pollMs, options.signal);
        continue;
      }
      const current: LineReader = reader;
      const { size } = await current.handle.stat();
      // Truncated in place (copytruncate): start over at its beginning.
      if (size < current.offset) current.rewind();
      if (size > current.offset) {
        yield* current.read(size);
        continue;
      }
      // At the end: has the path been rotated to a new file?
      const now = await stat(options.path).catch(() => null);
      if (now === null || now.ino !== current.ino) {
        await current.handle.close();
        reader = null;
        if (now === null) await sleep(pollMs, options.signal);
        continue;
      }
      await sleep(pollMs, options.signal);
    }
  } finally {
    await reader?.handle.close();
  }
}
