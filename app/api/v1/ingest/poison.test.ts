// Integration: a record no Date can hold (a numeric time out of range) is rejected on its own line, for
// every source; the good records beside it are stored, and the batch is answered 200, never 500.
import { describe, expect, it } from "vitest";
import { storedDropCount, tokenFor, uniqueCluster } from "@/lib/testing/db";
import { fixtureLines, fixtureRecord } from "@/lib/testing/formats";
import { hubbleFlow } from "@/lib/testing/hubbleFlows";
import { ingestRequest } from "@/lib/testing/ingestRequest";
import { POST } from "./route";

const secondsAgo = (n: number) => Math.floor(Date.now() / 1000) - n;

interface Rejection {
  line: number;
  reason: string;
}

/** Sends the lines (made for a fresh cluster) under that cluster's token; returns the reply and how many drops it stored. */
async function send(lines: string[] | ((cluster: string) => string[]), contentType = "application/x-ndjson") {
  const cluster = uniqueCluster("poison");
  const token = await tokenFor("ingest", cluster);
  const body = (typeof lines === "function" ? lines(cluster) : lines).join("\n");
  const response = await POST(ingestRequest(body, { token, headers: { "content-type": contentType } }));
  const reply = (await response.json()) as { accepted: number; rejected: Rejection[]; rejectedCount: number };
  return { status: response.status, reply, stored: await storedDropCount(cluster) };
}

describe("poison records: numeric times out of Date's range", () => {
  it("Calico: start_time 9e12 and 1e300 are rejected on their lines; the flows beside them are stored", async () => {
    const real = fixtureRecord("calico", "flows-deny.jsonl");
    const good = (port: number) => JSON.stringify({ ...real, start_time: secondsAgo(600), end_time: secondsAgo(300), dest_port: port, num_flows: 2 });
    const { status, reply, stored } = await send([
      good(5050),
      JSON.stringify({ ...real, start_time: 9e12 }),
      good(5051),
      JSON.stringify({ ...real, start_time: 1e300 }),
      JSON.stringify({ ...real, start_time: "9000000000000" }),
    ]);
    expect(status).toBe(200);
    expect(reply).toMatchObject({ accepted: 2, rejectedCount: 3 });
    expect(reply.rejected).toEqual([2, 4, 5].map((line) => ({ line, reason: expect.stringMatching(/^start_time: /) })));
    expect(stored).toBe(4);
  });

  it("Goldmane: start_time 1e300 is rejected on its line; the flows beside it are stored", async () => {
    const flow = (start: number, port: number) =>
      JSON.stringify({
        Key: { source_name: "a-*", source_namespace: "shop", dest_name: "b-*", dest_namespace: "pay", dest_port: port, proto: "tcp", reporter: 2, action: 2, policies: {} },
        start_time: start,
        end_time: start + 15,
        num_connections_started: 3,
      });
    const { status, reply, stored } = await send([flow(1e300, 443), flow(secondsAgo(600), 443), flow(secondsAgo(600), 8443)]);
    expect(status).toBe(200);
    expect(reply).toMatchObject({ accepted: 2, rejectedCount: 1 });
    expect(reply.rejected).toEqual([{ line: 1, reason: expect.stringMatching(/^start_time: /) }]);
    expect(stored).toBe(6);
  });

  it("netobserv: TimeFlowStartMs 9e15 is rejected on its line; the flows beside it are stored", async () => {
    const { K8S_ClusterName: _named, ...real } = fixtureRecord("netobserv", "flow-netpol-allow.json");
    const flow = (startMs: number, port: number) =>
      JSON.stringify({
        ...real,
        TimeFlowStartMs: startMs,
        TimeFlowEndMs: startMs + 1000,
        DstPort: port,
        NetworkEvents: [{ Feature: "acl", Type: "NetworkPolicy", Action: "drop", Name: "deny-db", Namespace: "second-namespace", Direction: "Ingress" }],
      });
    const now = Date.now();
    const { status, reply, stored } = await send([flow(now - 600_000, 5678), flow(9e15, 5678), flow(1e300, 5678), flow(now - 600_000, 5679)]);
    expect(status).toBe(200);
    expect(reply).toMatchObject({ accepted: 2, rejectedCount: 2 });
    expect(reply.rejected).toEqual([2, 3].map((line) => ({ line, reason: expect.stringMatching(/^TimeFlowStartMs: /) })));
    expect(stored).toBe(2);
  });

  it("Hubble: a numeric time is rejected on its line; the flows beside it are stored", async () => {
    const { status, reply, stored } = await send((cluster) => {
      const spec = { time: new Date(Date.now() - 600_000), cluster, srcNamespace: "web", srcWorkload: "frontend", dstNamespace: "db", dstWorkload: "postgres", dstPort: 5432 };
      const poison = hubbleFlow(spec);
      (poison.flow as Record<string, unknown>).time = 1e300;
      return [JSON.stringify(hubbleFlow(spec)), JSON.stringify(poison), JSON.stringify(hubbleFlow(spec))];
    });
    expect(status).toBe(200);
    expect(reply).toMatchObject({ accepted: 2, rejectedCount: 1 });
    expect(reply.rejected).toEqual([{ line: 2, reason: expect.stringMatching(/^flow\.time: /) }]);
    expect(stored).toBe(2);
  });

  it("Antrea: a date that does not exist is rejected on its line; the lines beside it are stored", async () => {
    const at = new Date(Date.now() - 600_000).toISOString();
    const stamp = (i: number) => `${at.slice(0, 10).replaceAll("-", "/")} ${at.slice(11, 19)}.00000${i}`;
    const [first] = fixtureLines("antrea").map(({ line }) => line);
    const line = (prefix: string) => (first as string).replace(/^\S+ \S+/, prefix);
    const { status, reply, stored } = await send([line(stamp(1)), line("9999/99/99 99:99:99.000000"), line(stamp(2))], "text/plain");
    expect(status).toBe(200);
    expect(reply).toMatchObject({ accepted: 2, rejectedCount: 1 });
    expect(reply.rejected).toEqual([{ line: 2, reason: expect.stringMatching(/^time: /) }]);
    expect(stored).toBe(2);
  });

  it("native: a time out of range is rejected on its line; the records beside it are stored", async () => {
    const native = (time: unknown, port: number) => JSON.stringify({ format: "native", time, verdict: "DROPPED", direction: "INGRESS", dstNamespace: "pay", dstPort: port });
    const recent = new Date(Date.now() - 600_000).toISOString();
    const { status, reply, stored } = await send([native(recent, 1), native(1e300, 2), native("+275760-09-13T00:00:00.001Z", 3), native(recent, 4)]);
    expect(status).toBe(200);
    expect(reply).toMatchObject({ accepted: 2, rejectedCount: 2 });
    expect(reply.rejected).toEqual([2, 3].map((line) => ({ line, reason: expect.stringMatching(/^time: /) })));
    expect(stored).toBe(2);
  });
});
