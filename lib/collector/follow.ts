// Following a log file as `tail -F` does: new lines as they are written, across rotation (the
// path now names a new file: the old one is read to its end first) and truncation (copytruncate).
// Polling rather than fs.watch, which misses events on some filesystems (overlay, NFS).
import { open, stat, type FileHandle } from "node:fs/promises";

/** Where reading stopped: the file (by inode) and the byte offset after the last whole line. */
export interface FilePosition {
  ino: number;
  offset: number;
}

export interface FollowedLine {
  line: string;
  /** The position just after this line: saved once the line is safely spooled. */
  position: FilePosition;
}

export interface FollowOptions {
  path: string;
  /** Resume here when the file at `path` is still the same inode; else start per `fromStart`. */
  resume: FilePosition | null;
  fromStart: boolean;
  pollMs?: number;
  signal: AbortSignal;
  /** Told once when the file is missing, and when it appears. */
  onWait?: (message: string) => void;
}

const CHUNK = 1 << 20;
const MAX_LINE = 1 << 20;

export async function* followFile(options: FollowOptions): AsyncGenerator<FollowedLine> {
  const pollMs = options.pollMs ?? 250;
  let handle: FileHandle | null = null;
  let ino = -1;
  let offset = 0;
  let pending: Buffer = Buffer.alloc(0);
  let firstOpen = true;
  let waiting = false;

  const openCurrent = async (): Promise<boolean> => {
    let info;
    try {
      info = await stat(options.path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      if (!waiting) options.onWait?.(`waiting for ${options.path} to appear`);
      waiting = true;
      return false;
    }
    if (waiting) options.onWait?.(`${options.path} appeared`);
    waiting = false;
    handle = await open(options.path, "r");
    ino = info.ino;
    pending = Buffer.alloc(0);
    if (firstOpen && options.resume && options.resume.ino === info.ino && options.resume.offset <= info.size) offset = options.resume.offset;
    else if (firstOpen && !options.fromStart) offset = info.size;
    else offset = 0;
    firstOpen = false;
    return true;
  };

  try {
    while (!options.signal.aborted) {
      if (handle === null && !(await openCurrent())) {
        await sleep(pollMs, options.signal);
        continue;
      }
      const current = handle as unknown as FileHandle;
      const { size } = await current.stat();
      if (size < offset) {
        // Truncated in place (copytruncate): start over at its beginning.
        offset = 0;
        pending = Buffer.alloc(0);
      }
      if (size > offset) {
        yield* readLines(current, ino, size);
        continue;
      }
      // At the end: has the path been rotated to a new file?
      const now = await stat(options.path).catch(() => null);
      if (now === null || now.ino !== ino) {
        await current.close();
        handle = null;
        if (now === null) await sleep(pollMs, options.signal);
        continue;
      }
      await sleep(pollMs, options.signal);
    }
  } finally {
    await (handle as FileHandle | null)?.close();
  }

  async function* readLines(file: FileHandle, fileIno: number, size: number): AsyncGenerator<FollowedLine> {
    const length = Math.min(CHUNK, size - offset);
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await file.read(buffer, 0, length, offset);
    let start = 0;
    let consumed = offset;
    for (let i = 0; i < bytesRead; i++) {
      if (buffer[i] !== 0x0a) continue;
      // Bytes, not text, until the newline: a chunk may end inside a multi-byte character.
      const line = Buffer.concat([pending, buffer.subarray(start, i)]).toString("utf8");
      pending = Buffer.alloc(0);
      consumed = offset + i + 1;
      start = i + 1;
      const text = line.endsWith("\r") ? line.slice(0, -1) : line;
      if (text.trim() !== "") yield { line: text, position: { ino: fileIno, offset: consumed } };
    }
    // A partial last line waits for its newline; absurdly long ones are cut rather than held forever.
    pending = Buffer.concat([pending, buffer.subarray(start, bytesRead)]);
    if (pending.length > MAX_LINE) pending = Buffer.alloc(0);
    offset += bytesRead;
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });
}
