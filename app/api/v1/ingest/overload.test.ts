// Integration: ingest under overload. Past the running batches and the bounded queue a request is
// refused at once with 429 and Retry-After, before its body is read; a queued request whose client
// has gone is dropped without doing its work.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { admitIngest, ingestLoad } from "@/lib/ingest/slots";
import { storedDropCount, tokenFor, uniqueCluster } from "@/lib/testing/db";
import { hubbleFlow, toNdjson } from "@/lib/testing/hubbleFlows";
import { ingestRequest } from "@/lib/testing/ingestRequest";
import { POST } from "./route";

let cluster: string;
let token: string;
beforeAll(async () => {
  cluster = uniqueCluster("busy");
  token = await tokenFor("ingest", cluster);
});

afterEach(() => {
  delete process.env.DROPBOARD_INGEST_CONCURRENCY;
  delete process.env.DROPBOARD_INGEST_QUEUE;
});

const body = (n: number) =>
  toNdjson(
    Array.from({ length: n }, () =>
      hubbleFlow({ time: new Date(Date.now() - 300_000), cluster, srcNamespace: "web", srcWorkload: "frontend", dstNamespace: "pay", dstWorkload: "api", dstPort: 80 }),
    ),
  );

/** Holds the only slot until released: the batches "in flight". */
function holdSlot() {
  const ticket = admitIngest();
  if (ticket === null) throw new Error("no slot to hold");
  let release = () => undefined as void;
  const done = ticket.run(() => new Promise<void>((resolve) => (release = resolve)));
  return { release: () => (release(), done) };
}

async function until(condition: () => boolean) {
  for (let waited = 0; !condition(); waited += 5) {
    if (waited > 5000) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe("ingest under overload", () => {
  it("answers 429 with Retry-After past the queue, without reading the body; a place frees as a batch ends", async () => {
    process.env.DROPBOARD_INGEST_CONCURRENCY = "1";
    process.env.DROPBOARD_INGEST_QUEUE = "1";
    const busy = holdSlot();
    const queued = POST(ingestRequest(body(3), { token }));
    await until(() => ingestLoad().waiting === 1);

    let pulled = false;
    // highWaterMark 0: the stream is pulled only when someone reads it.
    const stream = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          pulled = true;
          controller.enqueue(new TextEncoder().encode(body(1)));
          controller.close();
        },
      },
      { highWaterMark: 0 },
    );
    const refused = await POST(
      new Request("http://localhost/api/v1/ingest", {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/x-ndjson" },
        body: stream,
        duplex: "half",
      } as RequestInit),
    );
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("2");
    expect(await refused.json()).toMatchObject({ error: { code: "too_many_requests" } });
    expect(pulled).toBe(false);

    await busy.release();
    expect((await queued).status).toBe(200);
    expect(await storedDropCount(cluster)).toBe(3);
    expect(ingestLoad()).toEqual({ admitted: 0, running: 0, waiting: 0 });
    expect((await POST(ingestRequest(body(1), { token }))).status).toBe(200);
  });

  it("drops a queued request whose client has gone, before it does its work", async () => {
    process.env.DROPBOARD_INGEST_CONCURRENCY = "1";
    const before = await storedDropCount(cluster);
    const busy = holdSlot();
    const client = new AbortController();
    const gone = POST(new Request(ingestRequest(body(5), { token }), { signal: client.signal }));
    await until(() => ingestLoad().waiting === 1);
    client.abort();
    expect((await gone).status).toBe(499);
    // It left the queue at once: nothing waits for the slot any more.
    expect(ingestLoad()).toEqual({ admitted: 1, running: 1, waiting: 0 });
    await busy.release();
    expect(await storedDropCount(cluster)).toBe(before);
  });
});
