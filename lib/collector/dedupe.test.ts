import { mkdtemp, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EdgeDedupe, EdgeLedger, identityHash } from "./dedupe";

describe("edge de-duplication", () => {
  it("hashes identities apart: time, cluster and key each matter, and the cluster/key boundary", () => {
    const hashes = new Set([
      identityHash(1_764_000_000_000, "prod", "hubble:1"),
      identityHash(1_764_000_000_001, "prod", "hubble:1"),
      identityHash(1_764_000_000_000, "prod", "hubble:2"),
      identityHash(1_764_000_000_000, "prodh", "ubble:1"),
      identityHash(1_764_000_000_000 + 2 ** 32, "prod", "hubble:1"),
    ]);
    expect(hashes.size).toBe(5);
    // No collision among a million identities.
    const many = new Set<string>();
    for (let i = 0; i < 1_000_000; i++) many.add(identityHash(1_764_000_000_000 + (i % 1000), "c", `hubble:${i}`));
    expect(many.size).toBe(1_000_000);
  });

  it("remembers identities for the window of event time behind the newest record, and forgets them after", () => {
    const dedupe = new EdgeDedupe({ windowMs: 60_000, track: true });
    const t = 1_764_000_000_000;
    expect(dedupe.isDuplicate(t, "c", "a")).toBe(false);
    expect(dedupe.isDuplicate(t, "c", "a")).toBe(true);
    expect(dedupe.isDuplicate(t + 59_000, "c", "b")).toBe(false);
    expect(dedupe.isDuplicate(t, "c", "a")).toBe(true);
    expect(dedupe.isDuplicate(t + 62_000, "c", "c")).toBe(false);
    expect(dedupe.isDuplicate(t, "c", "a")).toBe(false);
    expect(dedupe.takeAdded()).toEqual({ hashes: expect.any(Array), newest: t + 62_000 });
    expect(dedupe.takeAdded().hashes).toEqual([]);
  });

  it("holds at most its bound, forgetting the oldest seconds first and saying so once", () => {
    const told: number[] = [];
    const dedupe = new EdgeDedupe({ windowMs: 600_000, track: false, maxEntries: 1000, onShortened: (ms) => told.push(ms) });
    const t = 1_764_000_000_000;
    for (let i = 0; i < 3000; i++) dedupe.isDuplicate(t + i * 10, "c", `k${i}`);
    expect(dedupe.size).toBeLessThanOrEqual(1000);
    expect(dedupe.isDuplicate(t + 2999 * 10, "c", "k2999")).toBe(true);
    expect(dedupe.isDuplicate(t, "c", "k0")).toBe(false);
    expect(told).toHaveLength(1);
  });
});

describe("the edge ledger", () => {
  it("restores what committed batches counted, and drops what batches never committed wrote", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "dropboard-ledger-"));
    const first = new EdgeLedger(dir);
    expect(await first.restore(60_000)).toEqual({ committed: null, seen: [] });
    const t = 1_764_000_000_000;
    const hashes = (from: number) => Array.from({ length: 5 }, (_, i) => identityHash(t, "c", `k${from + i}`));
    await first.writeSeen(3, hashes(0), t);
    await first.commit(3);
    await first.writeSeen(4, hashes(5), t + 1000);
    await first.commit(4);
    // Written, never committed (the run died between the two).
    await first.writeSeen(5, hashes(10), t + 2000);

    const second = new EdgeLedger(dir);
    const restored = await second.restore(60_000);
    expect(restored.committed).toBe(4);
    expect(restored.seen.flatMap((s) => s.hashes).sort()).toEqual([...hashes(0), ...hashes(5)].sort());
    expect((await readdir(path.join(dir, "edge"))).sort()).toEqual(["commit.json", "seen-0000000000000003.bin", "seen-0000000000000004.bin"]);

    const dedupe = new EdgeDedupe({ windowMs: 60_000, track: true });
    for (const seen of restored.seen) dedupe.restore(seen.hashes, seen.newest);
    expect(dedupe.isDuplicate(t, "c", "k7")).toBe(true);
    expect(dedupe.isDuplicate(t, "c", "k12")).toBe(false);

    // The window passes them: pruned.
    await second.prune(t + 500);
    expect((await readdir(path.join(dir, "edge"))).sort()).toEqual(["commit.json", "seen-0000000000000004.bin"]);
  });
});
