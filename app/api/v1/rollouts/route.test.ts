// Integration: the rollout API's handlers on the run's real PostgreSQL, with good, malformed,
// oversized, hostile and duplicate input.
import { beforeAll, describe, expect, it } from "vitest";
import { ingestRecords } from "@/lib/ingest/pipeline";
import { tokenFor, uniqueCluster } from "@/lib/testing/db";
import { POST as ACK, DELETE as UNACK } from "../acknowledgements/route";
import { POST as CREATE_CLASS } from "../classes/route";
import { DELETE as DELETE_CLASS } from "../classes/[name]/route";
import { GET as HEALTH } from "./[id]/health/route";
import { GET as PREFLIGHT } from "./[id]/preflight/route";
import { GET as ONE, PATCH } from "./[id]/route";
import { POST as STAGE } from "./[id]/stages/route";
import { GET as MARKERS } from "./markers/route";
import { GET as LIST, POST as CREATE } from "./route";

let write: string;
let ingestOnly: string;
beforeAll(async () => {
  write = await tokenFor("write", null);
  ingestOnly = await tokenFor("ingest", null);
});

const url = (path: string) => `http://localhost/api/v1${path}`;
function send(path: string, method: string, body: unknown, token: string | null = write): Request {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  return new Request(url(path), { method, headers, body: typeof body === "string" ? body : JSON.stringify(body) });
}
const params = <T extends Record<string, string>>(value: T) => ({ params: Promise.resolve(value) });
const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000).toISOString();

async function newRollout(extra: Record<string, unknown> = {}) {
  const response = await CREATE(send("/rollouts", "POST", { name: "default-deny payments", owner: "release", clusters: [uniqueCluster("api")], ...extra }));
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string; clusters: string[] };
}

describe("rollouts API", () => {
  it("needs a write token for changes; reads are open", async () => {
    expect((await CREATE(send("/rollouts", "POST", { name: "x" }, null))).status).toBe(401);
    expect((await CREATE(send("/rollouts", "POST", { name: "x" }, ingestOnly))).status).toBe(403);
    expect((await LIST()).status).toBe(200);
  });

  it("creates a rollout with a default budget and lists it", async () => {
    const rollout = await newRollout({ budget: { maxIncreasePct: 25 }, changeUrl: "https://git.example/pr/42" });
    const listed = (await (await LIST()).json()).rollouts.find((r: { id: string }) => r.id === rollout.id);
    expect(listed).toMatchObject({ name: "default-deny payments", owner: "release", currentStage: null, budget: { maxNewPaths: null, maxIncreasePct: 25 } });
    const fresh = await (await ONE(new Request(url(`/rollouts/${rollout.id}`)), params({ id: rollout.id }))).json();
    expect(fresh.deliveries).toEqual([]);
  });

  it("rejects malformed, unknown, oversized and hostile bodies with a 4xx naming the field", async () => {
    const broken = await CREATE(send("/rollouts", "POST", "{not json"));
    expect(broken.status).toBe(400);
    const unknown = await CREATE(send("/rollouts", "POST", { name: "x", colour: "red" }));
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(await unknown.json())).toContain("colour");
    const missing = await CREATE(send("/rollouts", "POST", { owner: "x" }));
    expect(JSON.stringify(await missing.json())).toContain("name");
    expect((await CREATE(send("/rollouts", "POST", { name: "x".repeat(100_000) }))).status).toBe(413);
    const badUrl = await CREATE(send("/rollouts", "POST", { name: "x", webhookUrl: "javascript:alert(1)" }));
    expect(badUrl.status).toBe(400);
    expect(JSON.stringify(await badUrl.json())).toContain("webhookUrl");
    const negative = await CREATE(send("/rollouts", "POST", { name: "x", budget: { maxNewPaths: -1 } }));
    expect(JSON.stringify(await negative.json())).toContain("budget.maxNewPaths");
    // Markup is stored as text, never interpreted.
    const hostile = await newRollout({ name: "<img src=x onerror=alert(1)>" });
    expect((await (await ONE(new Request(url(`/rollouts/${hostile.id}`)), params({ id: hostile.id }))).json()).name).toBe("<img src=x onerror=alert(1)>");
  });

  it("records transitions, answering 409 with the reason for invalid ones and 400 for unknown classes", async () => {
    const rollout = await newRollout();
    const stage = (body: unknown) => STAGE(send(`/rollouts/${rollout.id}/stages`, "POST", body), params({ id: rollout.id }));
    const first = await stage({ stage: "CANARY", namespaces: ["payments"], note: "10% first", at: minutesAgo(30) });
    expect(first.status).toBe(201);
    expect(await first.json()).toMatchObject({ seq: 1, stage: "CANARY", namespaces: ["payments"], actor: "test write" });
    // Judged at once, so lists show a verdict without waiting for the evaluator's next round.
    expect((await (await ONE(new Request(url(`/rollouts/${rollout.id}`)), params({ id: rollout.id }))).json()).lastVerdict).toBe("INSUFFICIENT_DATA");
    expect((await stage({ stage: "ENFORCED", actor: "pipeline#812" })).status).toBe(201);
    const backwards = await stage({ stage: "CANARY" });
    expect(backwards.status).toBe(409);
    expect((await backwards.json()).error.message).toBe("CANARY cannot come from ENFORCED (roll back first); allowed: ROLLED_BACK");
    const early = await stage({ stage: "ROLLED_BACK", at: minutesAgo(60) });
    expect(early.status).toBe(409);
    const unknownClass = await stage({ stage: "ROLLED_BACK", classes: ["nope"] });
    expect(unknownClass.status).toBe(400);
    expect((await unknownClass.json()).error.message).toContain('no namespace class "nope"');
    expect((await stage({ stage: "SHIPPED" })).status).toBe(400);
    expect((await stage({ stage: "ROLLED_BACK", namespaces: ["Not A Namespace"] })).status).toBe(400);
    const missing = await STAGE(send(`/rollouts/nope/stages`, "POST", { stage: "CANARY" }), params({ id: "nope" }));
    expect(missing.status).toBe(404);
  });

  it("serialises concurrent transitions: consecutive seqs, and the loser of a race sees the winner's stage", async () => {
    const rollout = await newRollout();
    const replies = await Promise.all(
      Array.from({ length: 4 }, () => STAGE(send(`/rollouts/${rollout.id}/stages`, "POST", { stage: "CANARY" }), params({ id: rollout.id }))),
    );
    expect(replies.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
  });

  it("answers health for the current and a past stage; 404 for a stage that is not there, 400 for a bad one", async () => {
    const rollout = await newRollout();
    await STAGE(send(`/rollouts/${rollout.id}/stages`, "POST", { stage: "OBSERVE", at: minutesAgo(90) }), params({ id: rollout.id }));
    await STAGE(send(`/rollouts/${rollout.id}/stages`, "POST", { stage: "CANARY", namespaces: ["payments"], at: minutesAgo(30) }), params({ id: rollout.id }));
    const health = await HEALTH(new Request(url(`/rollouts/${rollout.id}/health`)), params({ id: rollout.id }));
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ verdict: "INSUFFICIENT_DATA", healthy: false, stage: { seq: 2, stage: "CANARY" } });
    expect((await HEALTH(new Request(url(`/rollouts/${rollout.id}/health?stage=1`)), params({ id: rollout.id }))).status).toBe(200);
    expect((await HEALTH(new Request(url(`/rollouts/${rollout.id}/health?stage=9`)), params({ id: rollout.id }))).status).toBe(404);
    expect((await HEALTH(new Request(url(`/rollouts/${rollout.id}/health?stage=abc`)), params({ id: rollout.id }))).status).toBe(400);
    expect((await HEALTH(new Request(url(`/rollouts/nope/health`)), params({ id: "nope" }))).status).toBe(404);
  });

  it("updates a rollout's budget", async () => {
    const rollout = await newRollout({ budget: { maxNewPaths: 0, maxIncreasePct: 25 } });
    const patched = await PATCH(send(`/rollouts/${rollout.id}`, "PATCH", { budget: { maxNewPaths: 3 } }), params({ id: rollout.id }));
    // Only what the PATCH names changes: the clusters and the rest of the budget stay.
    expect(await patched.json()).toMatchObject({ budget: { maxNewPaths: 3, maxIncreasePct: 25 }, clusters: rollout.clusters, owner: "release" });
    expect((await PATCH(send(`/rollouts/nope`, "PATCH", { name: "y" }), params({ id: "nope" }))).status).toBe(404);
  });
});

describe("namespace classes, pre-flight, markers and acknowledgements", () => {
  it("creates classes, refuses duplicates and deleting one in use", async () => {
    const name = `tier2-${uniqueCluster("c")}`;
    expect((await CREATE_CLASS(send("/classes", "POST", { name, patterns: ["team-*", "!team-legacy"] }))).status).toBe(201);
    expect((await CREATE_CLASS(send("/classes", "POST", { name, patterns: ["x"] }))).status).toBe(409);
    const badPattern = await CREATE_CLASS(send("/classes", "POST", { name: `${name}-b`, patterns: ["Team A"] }));
    expect(badPattern.status).toBe(400);
    expect(JSON.stringify(await badPattern.json())).toContain("patterns");
    const rollout = await newRollout();
    await STAGE(send(`/rollouts/${rollout.id}/stages`, "POST", { stage: "CANARY", classes: [name] }), params({ id: rollout.id }));
    expect((await DELETE_CLASS(send(`/classes/${name}`, "DELETE", ""), params({ name }))).status).toBe(409);
    const preflight = await PREFLIGHT(new Request(url(`/rollouts/${rollout.id}/preflight?classes=${name}&hours=2`)), params({ id: rollout.id }));
    expect(await preflight.json()).toMatchObject({ wouldDrop: [], auditDrops: 0 });
    expect((await PREFLIGHT(new Request(url(`/rollouts/${rollout.id}/preflight?classes=ghost`)), params({ id: rollout.id }))).status).toBe(400);
    expect((await PREFLIGHT(new Request(url(`/rollouts/${rollout.id}/preflight?hours=9999`)), params({ id: rollout.id }))).status).toBe(400);
  });

  it("lists markers for charts whose filters the scope touches", async () => {
    const rollout = await newRollout();
    const cluster = rollout.clusters[0] as string;
    await STAGE(send(`/rollouts/${rollout.id}/stages`, "POST", { stage: "CANARY", namespaces: ["payments"], at: minutesAgo(10), note: "go" }), params({ id: rollout.id }));
    const marked = async (query: string) =>
      ((await (await MARKERS(new Request(url(`/rollouts/markers?${query}`)))).json()).markers as { rolloutId: string }[]).filter((m) => m.rolloutId === rollout.id);
    expect(await marked(`cluster=${cluster}`)).toEqual([expect.objectContaining({ stage: "CANARY", note: "go", rolloutName: "default-deny payments" })]);
    expect(await marked(`cluster=${cluster}&namespace=payments`)).toHaveLength(1);
    expect(await marked(`cluster=${cluster}&namespace=web`)).toHaveLength(0);
    expect(await marked(`cluster=other-cluster`)).toHaveLength(0);
    const bad = await MARKERS(new Request(url(`/rollouts/markers?from=yesterday`)));
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain("from");
  });

  it("acknowledges a drop path (twice is fine), unacknowledges it, and says when there is nothing to do", async () => {
    const cluster = uniqueCluster("ack");
    await ingestRecords(
      [{ line: 1, value: { format: "native", time: minutesAgo(5), cluster, verdict: "DROPPED", dstNamespace: "shop", dstWorkload: "db", dstPort: 5432 } }],
      { format: "auto", tokenCluster: null, atomic: true, now: new Date() },
    );
    const { getPool } = await import("@/lib/db/pool");
    const pathId = (await getPool().query<{ id: string }>(`SELECT id::text AS id FROM drop_paths WHERE cluster = $1`, [cluster])).rows[0]?.id as string;
    expect((await ACK(send("/acknowledgements", "POST", { cluster, pathId, reason: "nightly scanner" }))).status).toBe(201);
    expect((await ACK(send("/acknowledgements", "POST", { cluster, pathId, reason: "scanner (again)" }))).status).toBe(201);
    expect((await ACK(send("/acknowledgements", "POST", { cluster, pathId: "123", reason: "x" }))).status).toBe(404);
    expect((await ACK(send("/acknowledgements", "POST", { cluster, pathId: "99999999999999999999", reason: "x" }))).status).toBe(400);
    expect((await ACK(send("/acknowledgements", "POST", { cluster, pathId, reason: "" }))).status).toBe(400);
    const del = () => UNACK(send(`/acknowledgements?cluster=${cluster}&pathId=${pathId}`, "DELETE", ""));
    expect((await del()).status).toBe(204);
    expect((await del()).status).toBe(404);
  });
});
