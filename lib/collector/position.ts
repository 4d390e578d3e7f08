// Where reading a followed file stopped, saved in the spool directory once the lines before it are
// spooled: the file (by inode), the byte offset after the last spooled line, and a check on the
// bytes just before that offset, so a restart can tell the same content from a file truncated and
// rewritten (copytruncate) and can find the content again in a rotated copy.
import { createHash } from "node:crypto";
import { readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";

/** Where reading stopped: the file (by inode) and the byte offset after the last whole line. */
export interface FilePosition {
  ino: number;
  offset: number;
  /** The line that ends at `offset` (bytes, without its newline): what the saved check is made of. */
  line: Buffer;
}

/** sha256 of the `bytes` bytes that end at the saved offset (the end of the last line, newline included). */
export interface PositionCheck {
  bytes: number;
  sha256: string;
}

export interface SavedPosition {
  ino: number;
  offset: number;
  /** Absent in positions saved by older collectors: the inode alone is trusted then. */
  check?: PositionCheck;
}

const POSITION_FILE = "position.json";
const CHECK_BYTES = 4096;

export function positionCheck(line: Buffer): PositionCheck {
  const tail = Buffer.concat([line.subarray(Math.max(0, line.length - (CHECK_BYTES - 1))), Buffer.from("\n")]);
  return { bytes: tail.length, sha256: sha256(tail) };
}

export function sha256(bytes: Buffer): string {
  return createHash("sha256").update(bytes).digest("hex");
}

export async function loadPosition(spoolDir: string, file: string): Promise<SavedPosition | null> {
  try {
    const saved = JSON.parse(await readFile(path.join(spoolDir, POSITION_FILE), "utf8")) as SavedPosition & { file?: string };
    if (saved.file !== file || !Number.isInteger(saved.ino) || !Number.isInteger(saved.offset)) return null;
    const check = saved.check;
    const valid = check && Number.isInteger(check.bytes) && check.bytes > 0 && check.bytes <= saved.offset && /^[0-9a-f]{64}$/.test(check.sha256);
    return { ino: saved.ino, offset: saved.offset, ...(valid ? { check: { bytes: check.bytes, sha256: check.sha256 } } : {}) };
  } catch {
    return null;
  }
}

export function toSaved(position: FilePosition): SavedPosition {
  return { ino: position.ino, offset: position.offset, check: positionCheck(position.line) };
}

export async function savePosition(spoolDir: string, file: string, position: FilePosition): Promise<void> {
  const saved = { file, ...toSaved(position) };
  await writeFile(path.join(spoolDir, `${POSITION_FILE}.tmp`), JSON.stringify(saved));
  await rename(path.join(spoolDir, `${POSITION_FILE}.tmp`), path.join(spoolDir, POSITION_FILE));
}
