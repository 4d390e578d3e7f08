// Integration: every source format through the ingest route into the run's real PostgreSQL.
import { beforeAll, describe, expect, it } from "vitest";
import { getDropEvents } from "@/lib/queries/drops/getDropEvents";
import { storedDropCount, tokenFor, uniqueCluster } from "@/lib/testing/db";
import { fixtureLines, fixtureRecord } from "@/lib/testing/formats";
import { ingestRequest } from "@/lib/testing/ingestRequest";
import { POST } from "./route";

let cluster: string;
let token: string;
beforeAll(async () => {
  cluster = uniqueCluster("src");
  token = await tokenFor("ingest", cluster);
});

const secondsAgo = (n: number) => Math.floor(Date.now() / 1000) - n;

/** The real Antrea lines, re-dated into the accepted window (their own dates are years old). */
function antreaLines(minutesAgo: number): string[] {
  const at = new Date(Date.now() - minutesAgo * 60_000).toISOString();
  const stamp = `${at.slice(0, 10).replaceAll("-", "/")} ${at.slice(11, 23)}000`;
  return fixtureLines("antrea").map(({ line }, i) => line.replace(/^\S+ \S+/, stamp.replace(/\d{3}$/, String(i).padStart(3, "0"))));
}

async function eventsOf(source: string) {
  const page = await getDropEvents({ from: new Date(Date.now() - 86_400_000), to: new Date(Date.now() + 60_000), cluster: [cluster], limit: 500 });
  return page.events.filter((e) => e.source === source);
}

describe("every source through POST /api/v1/ingest", () => {
  it("reads Antrea np.log text sent as text/plain; a re-sent file adds nothing", async () => {
    const body = [...antreaLines(10), "2023/07/04 not an antrea line", ""].join("\n");
    const first = await POST(ingestRequest(body, { token, headers: { "content-type": "text/plain" } }));
    expect(first.status).toBe(200);
    const reply = await first.json();
    expect(reply).toMatchObject({ accepted: 2, duplicates: 0, rejectedCount: 1 });
    expect(reply.rejected[0]).toMatchObject({ line: 3, reason: expect.stringContaining("tried Antrea np.log line") });
    const again = await (await POST(ingestRequest(body, { token, headers: { "content-type": "text/plain" } }))).json();
    expect(again).toMatchObject({ accepted: 0, duplicates: 2 });
    expect((await eventsOf("antrea")).map((e) => e.policies)).toEqual(expect.arrayContaining([["default/reject-tcp-policy"], []]));
  });

  it("counts a Calico flow reported by both ends once, with its num_flows", async () => {
    const real = fixtureRecord("calico", "flows-deny.jsonl");
    const start = secondsAgo(1200);
    const atDst = { ...real, start_time: start, end_time: start + 300, num_flows: 4 };
    const atSrc = { ...atDst, reporter: "src", host: "other-node" };
    const before = await storedDropCount(cluster);
    const reply = await (await POST(ingestRequest([atDst, atSrc].map((r) => JSON.stringify(r)).join("\n"), { token }))).json();
    expect(reply).toMatchObject({ accepted: 1, duplicates: 1 });
    expect((await storedDropCount(cluster)) - before).toBe(4);
  });

  it("stores netobserv's sampled counts scaled, marked with their sample rate", async () => {
    const record = {
      ...fixtureRecord("netobserv", "flow-netpol-allow.json"),
      TimeFlowStartMs: Date.now() - 900_000,
      TimeFlowEndMs: Date.now() - 899_000,
      Sampling: 50,
      PktDropPackets: 2,
      NetworkEvents: [{ Feature: "acl", Type: "NetworkPolicy", Action: "drop", Name: "deny-db", Namespace: "second-namespace", Direction: "Ingress" }],
    };
    const before = await storedDropCount(cluster);
    const reply = await (await POST(ingestRequest(JSON.stringify(record), { token }))).json();
    expect(reply).toMatchObject({ accepted: 1 });
    expect((await storedDropCount(cluster)) - before).toBe(100);
    expect(await eventsOf("netobserv")).toEqual([expect.objectContaining({ count: 100, sampleRate: 50, policies: ["second-namespace/deny-db"] })]);
  });

  it("a record from another cluster is rejected on its own; the rest of a mixed batch is kept", async () => {
    const goldmane = {
      Key: { source_name: "a-*", source_namespace: "shop", dest_name: "b-*", dest_namespace: "pay", dest_port: 443, proto: "tcp", reporter: 2, action: 2, policies: {} },
      start_time: secondsAgo(600),
      end_time: secondsAgo(585),
    };
    const netobservOther = {
      ...fixtureRecord("netobserv", "flow-netpol-allow.json"),
      TimeFlowStartMs: Date.now() - 600_000,
      K8S_ClusterName: "someone-else",
      NetworkEvents: [{ Feature: "acl", Type: "NetworkPolicy", Action: "drop", Direction: "Ingress" }],
    };
    const body = [JSON.stringify(goldmane), JSON.stringify(netobservOther), antreaLines(5)[0]].join("\n");
    const reply = await (await POST(ingestRequest(body, { token }))).json();
    expect(reply).toMatchObject({ accepted: 2, rejectedCount: 1 });
    expect(reply.rejected).toEqual([{ line: 2, reason: expect.stringContaining('cluster: the record is from cluster "someone-else"') }]);
  });
});
