// Integration: GET /api/v1/drops/paths/{cluster}/{id}/allow on the run's real PostgreSQL, with drops
// ingested as Hubble, Calico and Antrea report them: YAML by default, JSON on request, the format
// the drops' CNI speaks, plain warnings where labels are unknown, 400 for bad parameters, 404 for
// paths that do not exist.
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import type { AllowReply } from "@/lib/fixes/respond";
import { schemaErrors } from "@/lib/fixes/schemas/validate";
import type { KubeObject } from "@/lib/fixes/types";
import { ingestRecords } from "@/lib/ingest/pipeline";
import { splitRecords } from "@/lib/ingest/records";
import { getTopDropPaths } from "@/lib/queries/drops/getTopDropPaths";
import { uniqueCluster } from "@/lib/testing/db";
import { fixturePath } from "@/lib/testing/formats";
import { hubbleFlow } from "@/lib/testing/hubbleFlows";
import { GET } from "./route";

const cluster = uniqueCluster("allow");
const ids: Record<"hubble" | "calico" | "antrea", string> = { hubble: "", calico: "", antrea: "" };

beforeAll(async () => {
  const now = Date.now();
  // web/frontend -> auth/keycloak:8443 from three pods, each with its own pod-template-hash.
  const hubble = ["a1b2c3d4e5", "f6a7b8c9d0", "0a1b2c3d4e"].map((hash, i) => {
    const record = hubbleFlow({ time: new Date(now - 60_000 + i * 1000), cluster, srcNamespace: "web", srcWorkload: "frontend", srcPod: `frontend-${hash}-x${i}k2z`, dstNamespace: "auth", dstWorkload: "keycloak", dstPort: 8443 });
    const flow = record.flow as { source: { labels: string[] }; destination: { labels: string[] } };
    flow.source.labels.push(`k8s:pod-template-hash=${hash}`, "k8s:team=web", "k8s:io.kubernetes.pod.namespace=web", "k8s:io.cilium.k8s.policy.serviceaccount=frontend");
    flow.destination.labels.push("k8s:pod-template-hash=5d8f7c6b4", "k8s:io.kubernetes.pod.namespace=auth");
    return JSON.stringify(record);
  });
  const calico = JSON.parse(readFileSync(fixturePath("calico", "flows-deny.jsonl"), "utf8")) as Record<string, unknown>;
  calico.start_time = Math.floor(now / 1000) - 120;
  calico.end_time = Math.floor(now / 1000) - 60;
  const stamp = new Date(now - 30_000).toISOString().replace("T", " ").replace("Z", "").replaceAll("-", "/");
  const antrea = `${stamp} IngressDefaultRule AntreaNetworkPolicy:default/reject-tcp-policy RejectTCPRequest Ingress Reject 16 default/nettoolv3 10.10.1.7 53646 10.10.1.14 80 TCP 60 tcp-log-label`;
  const body = [...hubble, JSON.stringify(calico), antrea].join("\n") + "\n";
  const result = await ingestRecords(splitRecords(body), { format: "auto", tokenCluster: cluster, atomic: true, now: new Date() });
  expect(result.rejected).toEqual([]);
  expect(result.accepted).toBe(5);
  const paths = await getTopDropPaths({ cluster: [cluster], from: new Date(now - 3_600_000), to: new Date(now + 60_000), limit: 10 });
  for (const path of paths) {
    if (path.dstWorkload?.endsWith("keycloak")) ids.hubble = path.id;
    else if (path.dstWorkload === "checkoutservice") ids.calico = path.id;
    else if (path.dstWorkload === "nettoolv3") ids.antrea = path.id;
  }
  expect(Object.values(ids).every(Boolean)).toBe(true);
});

const get = (id: string, query = "", init?: RequestInit, pathCluster = cluster) =>
  GET(new Request(`http://localhost/api/v1/drops/paths/${encodeURIComponent(pathCluster)}/${id}/allow${query}`, init), { params: Promise.resolve({ cluster: pathCluster, id }) });

describe("GET /api/v1/drops/paths/{cluster}/{id}/allow", () => {
  it("answers YAML by default, in the dropping CNI's own language, from the labels all the workload's pods share", async () => {
    const response = await get(ids.hubble);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/yaml; charset=utf-8");
    const text = await response.text();
    const objects = parseAllDocuments(text).map((d) => d.toJS() as KubeObject);
    expect(objects).toHaveLength(1);
    const [policy] = objects as [KubeObject];
    expect(schemaErrors(policy)).toEqual([]);
    expect(policy).toMatchObject({ apiVersion: "cilium.io/v2", kind: "CiliumNetworkPolicy", metadata: { namespace: "auth" } });
    expect(policy.spec.endpointSelector).toEqual({ matchLabels: { "k8s:app": "keycloak" } });
    expect(policy.spec.ingress).toEqual([
      {
        fromEndpoints: [{ matchLabels: { "k8s:io.kubernetes.pod.namespace": "web", "k8s:app": "frontend", "k8s:team": "web" } }],
        toPorts: [{ ports: [{ port: "8443", protocol: "TCP" }] }],
      },
    ]);
    expect(text).toContain("# Allows web/Deployment/frontend -> auth/Deployment/keycloak:8443/TCP");
  });

  it("answers JSON with the objects, the YAML, the command lines and the formats on offer", async () => {
    for (const [query, init] of [["?format=kubernetes&output=json", undefined], ["?format=kubernetes", { headers: { accept: "application/json" } }]] as const) {
      const response = await get(ids.hubble, query, init);
      expect(response.status).toBe(200);
      const body = (await response.json()) as AllowReply;
      expect(body).toMatchObject({ format: "kubernetes", apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", scope: [], suggestedScopes: [], clusters: [cluster], warnings: [] });
      expect(body.formats.map((f) => [f.format, f.available, f.recommended])).toEqual([
        ["kubernetes", true, false],
        ["cilium", true, true],
        ["calico", false, false],
        ["antrea", false, false],
      ]);
      const [policy] = body.objects;
      expect(policy?.spec).toEqual({
        podSelector: { matchLabels: { app: "keycloak" } },
        policyTypes: ["Ingress"],
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "web" } }, podSelector: { matchLabels: { app: "frontend", team: "web" } } }], ports: [{ protocol: "TCP", port: 8443 }] }],
      });
      expect(parse(body.yaml)).toEqual(policy);
      expect(body.filename).toBe(`${policy?.metadata.name}.yaml`);
      expect(body.apply.kubectl).toBe("kubectl apply -f -");
      expect(body.apply.url).toMatch(new RegExp(`/api/v1/drops/paths/${cluster}/${ids.hubble}/allow\\?format=kubernetes$`));
      expect(body.apply.curl).toBe(`curl -fsS '${body.apply.url}' | kubectl apply -f -`);
      expect(body.paths).toEqual([expect.objectContaining({ cluster, id: ids.hubble, status: "generated", sources: ["hubble"], objects: [`NetworkPolicy auth/${policy?.metadata.name}`] })]);
    }
  });

  it("Calico drops: a Calico NetworkPolicy in the denying policy's tier, staged on request", async () => {
    const body = (await (await get(ids.calico, "?output=json")).json()) as AllowReply;
    expect(body.format).toBe("calico");
    expect(body.objects[0]).toMatchObject({ kind: "NetworkPolicy", spec: { tier: "app-hipstershop", selector: "app == 'checkoutservice' && tenant == 'hipstershop'" } });
    expect(body.warnings.map((w) => w.code)).toEqual(["tier"]);
    const staged = (await (await get(ids.calico, "?output=json&staged=true&tier=security")).json()) as AllowReply;
    expect(staged.objects[0]).toMatchObject({ kind: "StagedNetworkPolicy", metadata: { name: expect.stringMatching(/^security\./) }, spec: { stagedAction: "Set", tier: "security" } });
    expect(schemaErrors(staged.objects[0] as KubeObject)).toEqual([]);
  });

  it("Antrea drops, labels unknown: nothing, said plainly with the scope that would write it; the scope writes it", async () => {
    const plain = (await (await get(ids.antrea, "?output=json")).json()) as AllowReply;
    expect(plain.format).toBe("antrea");
    expect(plain.objects).toEqual([]);
    expect(plain.paths[0]?.status).toBe("none");
    expect(plain.warnings.map((w) => [w.code, w.scope])).toEqual([
      ["labels_unknown", "namespace"],
      ["address_only", "ip"],
    ]);
    expect(plain.warnings[0]?.message).toContain("labels unknown for the destination default/nettoolv3");
    expect(plain.suggestedScopes).toEqual(["namespace", "ip"]);
    const yaml = await (await get(ids.antrea)).text();
    expect(yaml).toContain("# Nothing to apply");
    const scoped = (await (await get(ids.antrea, "?output=json&scope=namespace,ip")).json()) as AllowReply;
    expect(scoped.scope).toEqual(["namespace", "ip"]);
    expect(scoped.objects[0]).toMatchObject({ apiVersion: "crd.antrea.io/v1beta1", spec: { appliedTo: [{ podSelector: {} }] } });
  });

  it("refuses bad parameters with a 400 naming them", async () => {
    for (const [query, field] of [
      ["?format=iptables", "format"],
      ["?scope=everything", "scope"],
      ["?staged=maybe", "staged"],
      ["?tier=Not_A_Tier", "tier"],
      ["?priority=0", "priority"],
      ["?output=xml", "output"],
      ["?colour=blue", "colour"],
      ["?tier=a%00", "tier"],
    ] as const) {
      const response = await get(ids.hubble, query);
      expect(response.status, query).toBe(400);
      expect((await response.json()).error.message, query).toContain(`"${field}"`);
    }
    const other = await get(ids.hubble, "?format=calico");
    expect(other.status).toBe(400);
    expect((await other.json()).error.message).toContain("use kubernetes or cilium");
    expect((await get(ids.hubble, "", undefined, "bad\u0000cluster")).status).toBe(400);
  });

  it("answers 404 for paths that do not exist, or cannot", async () => {
    for (const [id, pathCluster] of [["12345", cluster], [ids.hubble, "no-such-cluster"], ["9999999999999999999", cluster], ["abc", cluster], ["1".repeat(30), cluster]] as const) {
      const response = await get(id, "", undefined, pathCluster);
      expect(response.status, `${pathCluster}/${id}`).toBe(404);
      expect((await response.json()).error.code).toBe("not_found");
    }
  });
});
