// Where a restarted collector picks a followed file up again. While it was down the file may have
// been rotated (renamed away, a new one created: logrotate's default `name.1`, `dateext`'s
// `name-20261128`, lumberjack's `name-2026-11-28T10-00-00.000.log` as Cilium, Calico and Antrea
// rotate) or copied and truncated in place (logrotate's copytruncate). Either way the lines after
// the saved position are in another file now: find it (by inode when renamed, by the check on the
// bytes before the offset when copied), finish it from the saved offset, then read the file at
// the path from its start. Compressed rotations cannot be read: their unread lines are lost, said so.
import { open, readdir, stat } from "node:fs/promises";
import path from "node:path";
import { sha256, type SavedPosition } from "./position";

export interface ResumePlan {
  /** A rotated file (or copytruncate's copy) holding unread lines: read it from `offset` to its end first. */
  finish: { path: string; ino: number; offset: number } | null;
  /** Where to start in the file at the followed path: the saved offset if it is still that inode, else its start or end. */
  start: { ino: number; offset: number } | "start" | "end";
  /** What happened, for the log; null when nothing did. */
  notice: string | null;
}

const COMPRESSED = /\.(gz|bz2|xz|zst|lz4|z|zip)$/i;
const MAX_CANDIDATES = 1000;

export async function planResume(file: string, saved: SavedPosition | null, fromStart: boolean): Promise<ResumePlan> {
  if (!saved) return { finish: null, start: fromStart ? "start" : "end", notice: null };
  const current = await stat(file).catch(() => null);
  const at = `byte ${saved.offset}`;
  if (current && current.ino === saved.ino) {
    if (current.size >= saved.offset && (await holdsCheck(file, saved))) return { finish: null, start: { ino: saved.ino, offset: saved.offset }, notice: null };
    // Truncated in place while stopped (copytruncate), and maybe written again past the old offset.
    const copy = await findRotated(file, saved, current.ino);
    return {
      finish: copy,
      start: "start",
      notice: copy
        ? `${file} was truncated while the collector was stopped (copytruncate): finishing its copy ${copy.path} from ${at}, then reading ${file} from its start`
        : `${file} was truncated while the collector was stopped and no uncompressed copy holds its unread lines: lines written after ${at} before the truncation are lost; reading ${file} from its start`,
    };
  }
  const rotated = await findRotated(file, saved, current?.ino ?? -1);
  return {
    finish: rotated,
    start: "start",
    notice: rotated
      ? `${file} was rotated while the collector was stopped: finishing ${rotated.path} from ${at}, then reading ${file} from its start`
      : `${file} was rotated while the collector was stopped and the rotated file was not found next to it (compressed, moved or deleted): lines written after ${at} before the rotation are lost; reading ${file} from its start`,
  };
}

/**
 * The file next to `file` that holds the saved position: the same inode (renamed), else the same
 * bytes before the offset (a copy), the most recently modified first. Only names that start like
 * the followed file's (`np.log` → `np*`) are looked at; compressed ones are skipped.
 */
async function findRotated(file: string, saved: SavedPosition, currentIno: number): Promise<ResumePlan["finish"]> {
  const dir = path.dirname(file);
  const base = path.basename(file);
  const stem = base.replace(/\.[^.]*$/, "") || base;
  const names = await readdir(dir).catch(() => [] as string[]);
  const candidates: { path: string; ino: number; size: number; mtimeMs: number }[] = [];
  for (const name of names) {
    if (name === base || !name.startsWith(stem) || COMPRESSED.test(name)) continue;
    const info = await stat(path.join(dir, name)).catch(() => null);
    if (!info?.isFile() || info.ino === currentIno || info.size < saved.offset) continue;
    candidates.push({ path: path.join(dir, name), ino: info.ino, size: info.size, mtimeMs: info.mtimeMs });
    if (candidates.length >= MAX_CANDIDATES) break;
  }
  const renamed = candidates.find((c) => c.ino === saved.ino);
  if (renamed && (await holdsCheck(renamed.path, saved))) return { path: renamed.path, ino: renamed.ino, offset: saved.offset };
  if (!saved.check) return null;
  for (const candidate of candidates.sort((a, b) => b.mtimeMs - a.mtimeMs)) {
    if (await holdsCheck(candidate.path, saved)) return { path: candidate.path, ino: candidate.ino, offset: saved.offset };
  }
  return null;
}

/** True when the bytes before the saved offset are the ones saved (or no check was saved). */
async function holdsCheck(file: string, saved: SavedPosition): Promise<boolean> {
  if (!saved.check) return true;
  const { bytes, sha256: expected } = saved.check;
  const handle = await open(file, "r").catch(() => null);
  if (!handle) return false;
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, saved.offset - bytes);
    return bytesRead === bytes && sha256(buffer) === expected;
  } finally {
    await handle.close();
  }
}
