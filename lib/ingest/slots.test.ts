import { afterEach, describe, expect, it } from "vitest";
import { withIngestSlot } from "./slots";

afterEach(() => {
  delete process.env.DROPBOARD_INGEST_CONCURRENCY;
});

describe("ingest slots", () => {
  it("runs at most N batches at once, the rest in arrival order, and frees a slot when a batch fails", async () => {
    process.env.DROPBOARD_INGEST_CONCURRENCY = "2";
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const batch = (id: number) =>
      withIngestSlot(async () => {
        started.push(id);
        most = Math.max(most, ++running);
        await new Promise((resolve) => setTimeout(resolve, 10));
        running--;
        if (id === 1) throw new Error("batch 1 failed");
        return id;
      });
    const results = await Promise.allSettled([1, 2, 3, 4, 5].map(batch));
    expect(most).toBe(2);
    expect(started).toEqual([1, 2, 3, 4, 5]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "fulfilled", "fulfilled", "fulfilled", "fulfilled"]);
    // Every slot came back: a new batch starts at once.
    expect(await withIngestSlot(async () => "free")).toBe("free");
  });
});
