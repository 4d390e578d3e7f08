import { mkdtemp, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { Spool, SpoolLockedError } from "./spool";

const tempDir = () => mkdtemp(path.join(tmpdir(), "dropboard-spool-"));
const body = (bytes: number) => Buffer.alloc(bytes, 1);

describe("spool", () => {
  it("keeps batches in order across a reopen", async () => {
    const dir = await tempDir();
    const spool = await Spool.open(dir, 10_000);
    await spool.append(body(10), 3);
    await spool.append(body(20), 5);
    await spool.close();
    const again = await Spool.open(dir, 10_000);
    expect(again.records).toBe(8);
    expect(again.oldest()).toMatchObject({ records: 3, bytes: 10 });
    await again.append(body(5), 1);
    expect((await readdir(dir)).filter((n) => n.endsWith(".gz")).sort()).toEqual([
      "0000000000000000.r3.gz",
      "0000000000000001.r5.gz",
      "0000000000000002.r1.gz",
    ]);
    await again.close();
  });

  it("drops the oldest batches past its bound and says how many records went", async () => {
    const spool = await Spool.open(await tempDir(), 100);
    expect(await spool.append(body(40), 4)).toEqual({ batches: 0, records: 0 });
    expect(await spool.append(body(40), 4)).toEqual({ batches: 0, records: 0 });
    expect(await spool.append(body(40), 4)).toEqual({ batches: 1, records: 4 });
    expect(spool.bytes).toBe(80);
    expect(spool.records).toBe(8);
    await spool.close();
  });

  it("never evicts the batch being sent", async () => {
    const spool = await Spool.open(await tempDir(), 50);
    await spool.append(body(40), 1);
    const sending = spool.oldest();
    if (!sending) throw new Error("empty");
    await spool.read(sending);
    await spool.append(body(40), 2);
    await spool.append(body(40), 3);
    expect(spool.oldest()?.name).toBe(sending.name);
    await spool.close();
  });

  it("splits a batch in place, keeping the order", async () => {
    const spool = await Spool.open(await tempDir(), 10_000);
    await spool.append(body(10), 4);
    await spool.append(body(10), 1);
    const first = spool.oldest();
    if (!first) throw new Error("empty");
    await spool.split(first, [{ body: body(5), records: 2 }, { body: body(5), records: 2 }]);
    const order: number[] = [];
    for (let entry = spool.oldest(); entry; entry = spool.oldest()) {
      order.push(entry.records);
      await spool.remove(entry);
    }
    expect(order).toEqual([2, 2, 1]);
    await spool.close();
  });

  it("refuses a spool another live collector holds", async () => {
    const dir = await tempDir();
    const { writeFile } = await import("node:fs/promises");
    await writeFile(path.join(dir, "collector.lock"), String(process.ppid));
    await expect(Spool.open(dir, 100)).rejects.toThrow(SpoolLockedError);
    await writeFile(path.join(dir, "collector.lock"), "999999999");
    const taken = await Spool.open(dir, 100);
    await taken.close();
  });
});
