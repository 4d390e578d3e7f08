import { appendFile, copyFile, mkdtemp, rename, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { followFile, type FollowedLine } from "./follow";
import { toSaved, type SavedPosition } from "./position";

async function collectLines(iterator: AsyncGenerator<FollowedLine>, count: number, out: string[]): Promise<void> {
  for await (const { line } of iterator) {
    out.push(line);
    if (out.length >= count) return;
  }
}

describe("followFile", () => {
  it("starts at the end, follows appends, survives rotation and truncation, and waits for partial lines", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "dropboard-follow-"));
    const file = path.join(dir, "np.log");
    await writeFile(file, "old line before start\n");
    const stop = new AbortController();
    const lines: string[] = [];
    const done = collectLines(followFile({ path: file, resume: null, fromStart: false, pollMs: 20, signal: stop.signal }), 6, lines);
    // Each step waits until the follower has seen the one before, so a slow machine cannot reorder them.
    const seen = async (count: number) => {
      for (let waited = 0; lines.length < count && waited < 5000; waited += 10) await new Promise((r) => setTimeout(r, 10));
    };
    await new Promise((r) => setTimeout(r, 300));
    await appendFile(file, "a\nb\npartial");
    await seen(2);
    await new Promise((r) => setTimeout(r, 100));
    await appendFile(file, " line\n");
    await seen(3);
    // Rotation: the last lines of the old file are written after the rename, then a new file appears.
    await rename(file, `${file}.1`);
    await appendFile(`${file}.1`, "last of old\n");
    await writeFile(file, "first of new\n");
    await seen(5);
    // Truncated in place, then written again (less than before: seen as a truncation however late it looks).
    await truncate(file, 0);
    await appendFile(file, "after ✓\n");
    await Promise.race([done, new Promise((r) => setTimeout(r, 5000))]);
    stop.abort();
    expect(lines).toEqual(["a", "b", "partial line", "last of old", "first of new", "after ✓"]);
  });

  it("resumes at a saved position in the same file, and from the start when asked", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "dropboard-follow-"));
    const file = path.join(dir, "events.log");
    await writeFile(file, "one\ntwo\nthree\n");
    const stop = new AbortController();
    const seen: FollowedLine[] = [];
    for await (const line of followFile({ path: file, resume: null, fromStart: true, pollMs: 20, signal: stop.signal })) {
      seen.push(line);
      if (seen.length === 1) break;
    }
    const resume = seen[0] ? toSaved(seen[0].position) : null;
    const rest: string[] = [];
    await collectLines(followFile({ path: file, resume, fromStart: false, pollMs: 20, signal: stop.signal }), 2, rest);
    expect(rest).toEqual(["two", "three"]);
  });

  describe("after a restart, when the file changed while no collector ran", () => {
    /** A file with `lines`, read by a first run up to and including `upTo` lines: its saved position. */
    async function firstRun(lines: string[], upTo: number): Promise<{ file: string; saved: SavedPosition }> {
      const dir = await mkdtemp(path.join(tmpdir(), "dropboard-follow-restart-"));
      const file = path.join(dir, "events.log");
      await writeFile(file, lines.map((l) => `${l}\n`).join(""));
      const seen: FollowedLine[] = [];
      for await (const line of followFile({ path: file, resume: null, fromStart: true, pollMs: 20, signal: new AbortController().signal })) {
        seen.push(line);
        if (seen.length === upTo) break;
      }
      return { file, saved: toSaved((seen.at(-1) as FollowedLine).position) };
    }

    async function secondRun(file: string, saved: SavedPosition, count: number) {
      const stop = new AbortController();
      const lines: string[] = [];
      const notices: string[] = [];
      const done = collectLines(followFile({ path: file, resume: saved, fromStart: false, pollMs: 20, signal: stop.signal, onNotice: (m) => notices.push(m) }), count, lines);
      await Promise.race([done, new Promise((r) => setTimeout(r, 3000))]);
      stop.abort();
      return { lines, notices };
    }

    it.each([
      ["logrotate (create)", "events.log.1"],
      ["logrotate with start 0", "events.log.0"],
      ["logrotate dateext", "events.log-20261128"],
      ["lumberjack (Cilium, Calico, Antrea)", "events-2026-11-28T10-00-00.000.log"],
    ])("rotated by %s to %s: finishes the rotated file from the saved offset, then the new file from its start", async (_how, rotatedName) => {
      const { file, saved } = await firstRun(["one", "two", "three"], 2);
      await appendFile(file, "four\n");
      await rename(file, path.join(path.dirname(file), rotatedName));
      await writeFile(file, "five\nsix\n");
      const { lines, notices } = await secondRun(file, saved, 4);
      expect(lines).toEqual(["three", "four", "five", "six"]);
      expect(notices).toEqual([expect.stringContaining(`was rotated while the collector was stopped: finishing ${path.join(path.dirname(file), rotatedName)} from byte 8`)]);
    });

    it("copytruncate, the file now smaller: finishes the copy from the saved offset, then reads the file from its start", async () => {
      const { file, saved } = await firstRun(["one", "two", "three"], 2);
      await appendFile(file, "four\n");
      await copyFile(file, `${file}.1`);
      await truncate(file, 0);
      await appendFile(file, "5\n");
      const { lines, notices } = await secondRun(file, saved, 3);
      expect(lines).toEqual(["three", "four", "5"]);
      expect(notices).toEqual([expect.stringContaining(`truncated while the collector was stopped (copytruncate): finishing its copy ${file}.1`)]);
    });

    it("copytruncate, the file written past the saved offset again: the check on the bytes before it tells, nothing is skipped", async () => {
      const { file, saved } = await firstRun(["one", "two", "three"], 2);
      await copyFile(file, `${file}.1`);
      await truncate(file, 0);
      await appendFile(file, "a much longer first line\nand a second\n");
      const { lines } = await secondRun(file, saved, 3);
      expect(lines).toEqual(["three", "a much longer first line", "and a second"]);
    });

    it("rotated and compressed (or deleted): says what is lost and reads the new file from its start", async () => {
      const { file, saved } = await firstRun(["one", "two", "three"], 2);
      await rename(file, `${file}.1.gz`);
      await writeFile(file, "new\n");
      const { lines, notices } = await secondRun(file, saved, 1);
      expect(lines).toEqual(["new"]);
      expect(notices).toEqual([expect.stringContaining("lines written after byte 8 before the rotation are lost; reading")]);
      await rm(`${file}.1.gz`);
    });

    it("the same file, unchanged or grown: resumes at the saved offset; without a check (an older collector's position) too", async () => {
      const { file, saved } = await firstRun(["one", "two", "three"], 2);
      await appendFile(file, "four\n");
      expect((await secondRun(file, saved, 2)).lines).toEqual(["three", "four"]);
      expect((await secondRun(file, { ino: saved.ino, offset: saved.offset }, 2)).lines).toEqual(["three", "four"]);
    });
  });
});
