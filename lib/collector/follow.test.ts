import { appendFile, mkdtemp, rename, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { followFile, type FollowedLine } from "./follow";

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
    await new Promise((r) => setTimeout(r, 100));
    await appendFile(file, "a\nb\npartial");
    await new Promise((r) => setTimeout(r, 100));
    await appendFile(file, " line\n");
    await new Promise((r) => setTimeout(r, 100));
    // Rotation: the last lines of the old file are written after the rename, then a new file appears.
    await rename(file, `${file}.1`);
    await appendFile(`${file}.1`, "last of old\n");
    await writeFile(file, "first of new\n");
    await new Promise((r) => setTimeout(r, 200));
    await truncate(file, 0);
    await new Promise((r) => setTimeout(r, 100));
    await appendFile(file, "after truncate ✓\n");
    await Promise.race([done, new Promise((r) => setTimeout(r, 5000))]);
    stop.abort();
    expect(lines).toEqual(["a", "b", "partial line", "last of old", "first of new", "after truncate ✓"]);
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
    const resume = seen[0]?.position ?? null;
    const rest: string[] = [];
    await collectLines(followFile({ path: file, resume, fromStart: false, pollMs: 20, signal: stop.signal }), 2, rest);
    expect(rest).toEqual(["two", "three"]);
  });
});
