// Where a native source stopped, saved in the spool directory once the records before it are
// spooled: the time of the newest record read (a flow's time for Hubble, a window's start for
// Goldmane). A restarted collector asks the source for what came after it, less an overlap that
// ingest's idempotence absorbs, as a followed file resumes at its saved position.
import { readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";

export interface SavedCursor {
  /** Which kind of source it belongs to ("hubble-relay", "goldmane"): another kind starts afresh. */
  source: string;
  /** Epoch milliseconds. */
  time: number;
}

const CURSOR_FILE = "cursor.json";

export async function loadCursor(spoolDir: string, source: string): Promise<number | null> {
  try {
    const saved = JSON.parse(await readFile(path.join(spoolDir, CURSOR_FILE), "utf8")) as Partial<SavedCursor>;
    return saved.source === source && typeof saved.time === "number" && Number.isFinite(saved.time) && saved.time > 0 ? saved.time : null;
  } catch {
    return null;
  }
}

export async function saveCursor(spoolDir: string, source: string, time: number): Promise<void> {
  const saved: SavedCursor = { source, time };
  await writeFile(path.join(spoolDir, `${CURSOR_FILE}.tmp`), JSON.stringify(saved));
  await rename(path.join(spoolDir, `${CURSOR_FILE}.tmp`), path.join(spoolDir, CURSOR_FILE));
}
