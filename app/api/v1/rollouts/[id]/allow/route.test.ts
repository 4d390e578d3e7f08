// Integration: GET /api/v1/rollouts/{id}/allow on the run's real PostgreSQL: one bundle for every
// surprise of the stage (as the health verdict lists them), in the format the drops allow.
import { beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import type { AllowReply } from "@/lib/fixes/respond";
import { schemaErrors } from "@/lib/fixes/schemas/validate";
import type { KubeObject } from "@/lib/fixes/types";
import { ingestRecords } from "@/lib/ingest/pipeline";
import { splitRecords } from "@/lib/ingest/records";
import { createRollout, recordTransition } from "@/lib/rollouts/manage";
import { uniqueCluster } from "@/lib/testing/db";
import { hubbleFlow } from "@/lib/testing/hubbleFlows";
import { GET } from "./route";

const MINUTE = 60_000;
const now = new Date(Math.floor(Date.now() / MINUTE) * MINUTE);
const minutesAgo = (n: number) => new Date(now.getTime() - n * MINUTE);
const cluster = uniqueCluster("rollout-allow");
let rolloutId = "";
let quietId = "";

const native = (minutes: number, to: string, labels: string[]) => ({
  format: "native", time: new Date(minutesAgo(minutes).getTime() + 5_000).toISOString(), cluster, verdict: "DROPPED", direction: "INGRESS",
  srcNamespace: "web", srcWorkload: "Deployment/frontend", srcLabels: ["app=frontend", `pod-template-hash=${minutes}abcdef`],
  dstNamespace: "shop", dstWorkload: `Deployment/${to}`, dstLabels: labels, dstPort: 8080, protocol: "TCP", key: `${to}-${minutes}`,
});

beforeAll(async () => {
  const records = [
    // Dropped before and during the canary: not new, not a surprise.
    ...Array.from({ length: 120 }, (_, i) => native(120 - i, "legacy", ["app=legacy"])),
    // New in the canary, never audited: surprises. One reported by a native sender, one by Hubble.
    ...Array.from({ length: 10 }, (_, i) => native(30 - i, "checkout", ["app=checkout", "tier=backend"])),
    ...Array.from({ length: 5 }, (_, i) => hubbleFlow({ time: new Date(minutesAgo(20 - i).getTime() + 1000), cluster, srcNamespace: "web", srcWorkload: "frontend", dstNamespace: "shop", dstWorkload: "cart", dstPort: 9090 })),
  ];
  const body = records.map((r) => JSON.stringify(r)).join("\n");
  const result = await ingestRecords(splitRecords(body), { format: "auto", tokenCluster: null, atomic: true, now: new Date() });
  expect(result.rejected).toEqual([]);
  const canary = async (name: string) => {
    const { id } = await createRollout({ name, policies: [], clusters: [cluster], budget: { maxNewPaths: 0 } });
    await recordTransition(id, { stage: "OBSERVE", namespaces: [], classes: [], at: minutesAgo(24 * 60).toISOString() }, "test", now);
    await recordTransition(id, { stage: "CANARY", namespaces: ["shop"], classes: [], at: minutesAgo(60).toISOString() }, "test", now);
    return id;
  };
  rolloutId = await canary("default-deny shop");
  // A rollout whose canary began after every drop: nothing is new.
  const { id } = await createRollout({ name: "quiet", policies: [], clusters: [`${cluster}-quiet`], budget: { maxNewPaths: 0 } });
  await recordTransition(id, { stage: "CANARY", namespaces: ["shop"], classes: [], at: minutesAgo(5).toISOString() }, "test", now);
  quietId = id;
});

const get = (id: string, query = "") => GET(new Request(`http://localhost/api/v1/rollouts/${id}/allow${query}`), { params: Promise.resolve({ id }) });

describe("GET /api/v1/rollouts/{id}/allow", () => {
  it("bundles a rule for every surprise, in Kubernetes NetworkPolicy when the drops came from several sources", async () => {
    const response = await get(rolloutId);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toBe('inline; filename="allow-surprises-default-deny-shop.yaml"');
    const objects = parseAllDocuments(await response.text()).map((d) => d.toJS() as KubeObject);
    // Most dropped first, as the health verdict lists them.
    expect(objects.map((o) => [o.kind, o.metadata.namespace, o.spec.podSelector])).toEqual([
      ["NetworkPolicy", "shop", { matchLabels: { app: "checkout", tier: "backend" } }],
      ["NetworkPolicy", "shop", { matchLabels: { app: "cart" } }],
    ]);
    for (const object of objects) expect(schemaErrors(object)).toEqual([]);
  });

  it("answers JSON; a CNI format covers the paths that CNI reported and says which it left out", async () => {
    const body = (await (await get(rolloutId, "?output=json&format=cilium")).json()) as AllowReply;
    expect(body.format).toBe("cilium");
    expect(body.objects.map((o) => o.spec.endpointSelector)).toEqual([{ matchLabels: { "k8s:app": "cart" } }]);
    expect(body.paths.map((p) => [p.flow, p.status]).sort()).toEqual([
      ["web/Deployment/frontend -> shop/Deployment/cart:9090/TCP", "generated"],
      ["web/Deployment/frontend -> shop/Deployment/checkout:8080/TCP", "none"],
    ]);
    expect(body.warnings.map((w) => w.code)).toEqual(["format_unavailable"]);
    expect(body.formats.filter((f) => f.available).map((f) => f.format)).toEqual(["kubernetes", "cilium"]);
    expect(body.apply.url).toMatch(new RegExp(`/api/v1/rollouts/${rolloutId}/allow\\?format=cilium$`));
  });

  it("refuses a format no surprise's CNI enforces, and bad parameters", async () => {
    const response = await get(rolloutId, "?format=calico");
    expect(response.status).toBe(400);
    expect((await response.json()).error.message).toContain("use kubernetes or cilium");
    for (const query of ["?stage=0", "?cluster=", "?scope=all", "?format=x"]) expect((await get(rolloutId, query)).status, query).toBe(400);
  });

  it("an empty bundle, said so, when the stage has no surprise (or none in the cluster asked for)", async () => {
    for (const [id, query] of [[quietId, "?output=json"], [rolloutId, "?output=json&cluster=elsewhere"]] as const) {
      const body = (await (await get(id, query)).json()) as AllowReply;
      expect(body.objects).toEqual([]);
      expect(body.warnings.map((w) => w.code)).toEqual(["no_surprises"]);
    }
  });

  it("answers 404 for a rollout or stage that does not exist", async () => {
    expect((await get("nosuchrollout1")).status).toBe(404);
    expect((await get(rolloutId, "?stage=99")).status).toBe(404);
    expect((await get("bad/id")).status).toBe(404);
  });
});
