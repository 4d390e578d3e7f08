import { afterEach, describe, expect, it } from "vitest";
import { admitIngest, CLIENT_GONE, ingestLoad, type IngestTicket } from "./slots";

afterEach(() => {
  delete process.env.DROPBOARD_INGEST_CONCURRENCY;
  delete process.env.DROPBOARD_INGEST_QUEUE;
  expect(ingestLoad()).toEqual({ admitted: 0, running: 0, waiting: 0 });
});

const admit = (): IngestTicket => {
  const ticket = admitIngest();
  if (ticket === null) throw new Error("not admitted");
  return ticket;
};

/** A promise with its resolve, to hold a batch until the test lets it finish. */
function gate() {
  let open = () => undefined as void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe("ingest slots", () => {
  it("runs at most N batches at once, the rest in arrival order, and frees a slot when a batch fails", async () => {
    process.env.DROPBOARD_INGEST_CONCURRENCY = "2";
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const batch = (id: number) =>
      admit().run(async () => {
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
    expect(await admit().run(async () => "free")).toBe("free");
  });

  it("admits N running + Q waiting requests and refuses the next at once; a place comes back when one ends", async () => {
    process.env.DROPBOARD_INGEST_CONCURRENCY = "1";
    process.env.DROPBOARD_INGEST_QUEUE = "2";
    const hold = gate();
    const first = admit().run(() => hold.opened.then(() => "first"));
    // Admitted but not yet run: reading its body, say. It holds a place all the same.
    const reading = admit();
    const waiting = admit().run(async () => "waiting");
    expect(ingestLoad()).toEqual({ admitted: 3, running: 1, waiting: 1 });
    expect(admitIngest()).toBeNull();
    // The request that was reading its body failed (a bad body): its place is free again.
    reading.release();
    const fourth = admit();
    expect(admitIngest()).toBeNull();
    hold.open();
    expect(await Promise.all([first, waiting, fourth.run(async () => "fourth")])).toEqual(["first", "waiting", "fourth"]);
  });

  it("drops a waiting request whose client has gone, without running it, and lets the next one through", async () => {
    process.env.DROPBOARD_INGEST_CONCURRENCY = "1";
    const hold = gate();
    const first = admit().run(() => hold.opened.then(() => "first"));
    const client = new AbortController();
    const ran: string[] = [];
    const gone = admit().run(async () => void ran.push("gone"), client.signal);
    const next = admit().run(async () => (ran.push("next"), "next"));
    client.abort();
    expect(await gone).toBe(CLIENT_GONE);
    // Left the queue at once, not when its turn came.
    expect(ingestLoad()).toEqual({ admitted: 2, running: 1, waiting: 1 });
    hold.open();
    expect(await Promise.all([first, next])).toEqual(["first", "next"]);
    expect(ran).toEqual(["next"]);
    // A client already gone when its turn would start is not run either.
    expect(await admit().run(async () => "late", AbortSignal.abort())).toBe(CLIENT_GONE);
  });

  it("with no queue, refuses every request beyond those running", async () => {
    process.env.DROPBOARD_INGEST_CONCURRENCY = "1";
    process.env.DROPBOARD_INGEST_QUEUE = "0";
    const hold = gate();
    const first = admit().run(() => hold.opened);
    expect(admitIngest()).toBeNull();
    hold.open();
    await first;
  });
});
