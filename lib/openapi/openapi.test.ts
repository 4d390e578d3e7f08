// Contract: the OpenAPI document at /api/v1/openapi.json names every route under app/api/v1 (and
// /metrics) with the methods it exports, and the replies of real route handlers, called in-process
// on the run's PostgreSQL, validate against it (ajv, JSON Schema 2020-12 as OpenAPI 3.1 uses).
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import Ajv2020 from "ajv/dist/2020";
import { beforeAll, describe, expect, it } from "vitest";
import { GET as ACKS, POST as ACK, DELETE as UNACK } from "@/app/api/v1/acknowledgements/route";
import { GET as CLASS, PUT as PUT_CLASS, DELETE as DELETE_CLASS } from "@/app/api/v1/classes/[name]/route";
import { GET as CLASSES, POST as CREATE_CLASS } from "@/app/api/v1/classes/route";
import { GET as CLUSTERS } from "@/app/api/v1/clusters/route";
import { GET as EVENTS } from "@/app/api/v1/drops/events/route";
import { GET as PATH_ALLOW } from "@/app/api/v1/drops/paths/[cluster]/[id]/allow/route";
import { GET as PATHS } from "@/app/api/v1/drops/paths/route";
import { GET as POLICIES } from "@/app/api/v1/drops/policies/route";
import { GET as SERIES } from "@/app/api/v1/drops/series/route";
import { GET as STILL_AUDITED } from "@/app/api/v1/drops/still-audited/route";
import { GET as READY } from "@/app/api/v1/health/ready/route";
import { GET as LIVE } from "@/app/api/v1/health/route";
import { POST as HEARTBEAT } from "@/app/api/v1/heartbeat/route";
import { POST as INGEST } from "@/app/api/v1/ingest/route";
import { GET as LINK, DELETE as DELETE_LINK } from "@/app/api/v1/links/[id]/route";
import { POST as CREATE_LINK } from "@/app/api/v1/links/route";
import { GET as OPENAPI } from "@/app/api/v1/openapi.json/route";
import { GET as ROLLOUT_ALLOW } from "@/app/api/v1/rollouts/[id]/allow/route";
import { GET as ERRORS } from "@/app/api/v1/rollouts/[id]/errors/route";
import { GET as HEALTH } from "@/app/api/v1/rollouts/[id]/health/route";
import { GET as PREFLIGHT } from "@/app/api/v1/rollouts/[id]/preflight/route";
import { GET as ROLLOUT, PATCH as PATCH_ROLLOUT, DELETE as DELETE_ROLLOUT } from "@/app/api/v1/rollouts/[id]/route";
import { POST as STAGE } from "@/app/api/v1/rollouts/[id]/stages/route";
import { GET as MARKERS } from "@/app/api/v1/rollouts/markers/route";
import { GET as ROLLOUTS, POST as CREATE_ROLLOUT } from "@/app/api/v1/rollouts/route";
import { GET as METRICS } from "@/app/metrics/route";
import { SOURCE_FORMAT_NAMES } from "@/lib/ingest/formats";
import { tokenFor, uniqueCluster } from "@/lib/testing/db";
import { ingestRequest } from "@/lib/testing/ingestRequest";

type Doc = { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }>; parameters?: { name: string; schema: { enum?: string[] } }[] }>> };

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

/** Every route.ts under app/api/v1 (and app/metrics) as "METHOD /path/{param}". */
async function routesOnDisk(): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string, urlPath: string) => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        const segment = entry.name.replace(/^\[(.+)\]$/, "{$1}");
        // Route groups "(name)" add no segment.
        await walk(path.join(dir, entry.name), /^\(.+\)$/.test(entry.name) ? urlPath : `${urlPath}/${segment}`);
      } else if (entry.name === "route.ts") {
        const source = await readFile(path.join(dir, entry.name), "utf8");
        for (const method of METHODS) {
          if (new RegExp(`export\\s+(async\\s+)?function\\s+${method}\\b|export\\s+const\\s+${method}\\b`).test(source)) found.push(`${method} ${urlPath}`);
        }
      }
    }
  };
  await walk(path.join(ROOT, "app", "api", "v1"), "/api/v1");
  await walk(path.join(ROOT, "app", "metrics"), "/metrics");
  return found.sort();
}

let doc: Doc;
let ajv: Ajv2020;
beforeAll(async () => {
  const response = OPENAPI();
  expect(response.status).toBe(200);
  doc = (await response.json()) as Doc;
  ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
  ajv.addSchema(doc as object, "openapi");
});

const pointer = (...parts: string[]) => parts.map((p) => p.replaceAll("~", "~0").replaceAll("/", "~1")).join("/");

/** Checks a reply against the document: its status is documented for the operation, its JSON body validates. */
async function conforms(method: string, template: string, response: Response): Promise<unknown> {
  const operation = doc.paths[template]?.[method.toLowerCase()];
  expect(operation, `${method} ${template} is in the document`).toBeDefined();
  const status = String(response.status);
  expect(Object.keys(operation?.responses ?? {}), `${method} ${template} documents ${status}`).toContain(status);
  const contentType = response.headers.get("content-type") ?? "";
  if (response.status === 204 || !contentType.startsWith("application/json")) return null;
  const body: unknown = await response.json();
  const documented = operation?.responses[status]?.content?.["application/json"];
  expect(documented, `${method} ${template} ${status} documents a JSON body`).toBeDefined();
  const validate = ajv.getSchema(`openapi#/${pointer("paths", template, method.toLowerCase(), "responses", status, "content", "application/json", "schema")}`);
  expect(validate).toBeDefined();
  const ok = validate?.(body);
  expect(ok ? [] : validate?.errors, `${method} ${template} ${status}: ${JSON.stringify(body).slice(0, 300)}`).toEqual([]);
  return body;
}

const url = (p: string) => `http://localhost/api/v1${p}`;
const get = (p: string) => new Request(url(p));
function send(p: string, method: string, body: unknown, token: string | null): Request {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  return new Request(url(p), { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
}
const params = <T extends Record<string, string>>(value: T) => ({ params: Promise.resolve(value) });
const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000).toISOString();

describe("the OpenAPI document", () => {
  it("is OpenAPI 3.1 and lists every route under app/api/v1 with the methods it exports, and no route that is not there", async () => {
    expect((doc as unknown as { openapi: string }).openapi).toBe("3.1.0");
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`)).sort();
    const onDisk = await routesOnDisk();
    expect(onDisk.length).toBeGreaterThan(30);
    expect(documented).toEqual(onDisk);
  });

  it("compiles: every reply schema and reference resolves", () => {
    for (const [p, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        for (const [status, reply] of Object.entries(op.responses)) {
          for (const type of Object.keys(reply.content ?? {})) {
            expect(ajv.getSchema(`openapi#/${pointer("paths", p, method, "responses", status, "content", type, "schema")}`), `${method} ${p} ${status} ${type}`).toBeDefined();
          }
        }
      }
    }
  });

  it("has teeth: a reply missing a field, or with a wrong type, does not validate", () => {
    const validate = ajv.getSchema(`openapi#/${pointer("paths", "/api/v1/drops/series", "get", "responses", "200", "content", "application/json", "schema")}`);
    const good = { step: "1m", from: "2026-01-01T00:00:00.000Z", to: "2026-01-01T01:00:00.000Z", total: 0, series: [] };
    expect(validate?.(good)).toBe(true);
    expect(validate?.({ ...good, total: "0" })).toBe(false);
    expect(validate?.({ ...good, step: "7m" })).toBe(false);
    const { series: _series, ...missing } = good;
    expect(validate?.(missing)).toBe(false);
  });

  it("names the ingest formats the route accepts, and only those", async () => {
    const formats = doc.paths["/api/v1/ingest"]?.post?.parameters?.find((p) => p.name === "format")?.schema.enum ?? [];
    expect(formats).toEqual(["auto", "aggregate", ...SOURCE_FORMAT_NAMES]);
    const token = await tokenFor("ingest", uniqueCluster("oaformat"));
    for (const format of formats) {
      const response = await INGEST(ingestRequest("{}", { token, query: `?format=${format}` }));
      const reply = (await response.json()) as { error?: { details?: { field?: string }[] } };
      expect(reply.error?.details?.some((d) => d.field === "format") ?? false, `format=${format} is accepted`).toBe(false);
    }
    const bogus = await INGEST(ingestRequest("{}", { token, query: "?format=bogus" }));
    expect(bogus.status).toBe(400);
    expect(JSON.stringify(await bogus.json())).toContain("format");
  });
});

describe("replies of the route handlers validate against the document", () => {
  let cluster: string;
  let ingestToken: string;
  let write: string;
  beforeAll(async () => {
    cluster = uniqueCluster("oa");
    ingestToken = await tokenFor("ingest", cluster);
    write = await tokenFor("write", null);
  });

  it("probes, the document, metrics, ingest and heartbeats", async () => {
    await conforms("GET", "/api/v1/health", LIVE());
    await conforms("GET", "/api/v1/health/ready", await READY());
    await conforms("GET", "/api/v1/openapi.json", OPENAPI());
    const metrics = await METRICS();
    await conforms("GET", "/metrics", metrics);
    const records = Array.from({ length: 4 }, (_, i) =>
      JSON.stringify({ format: "native", time: minutesAgo(3), cluster, verdict: i % 2 ? "AUDIT" : "DROPPED", direction: "INGRESS", srcNamespace: "web", srcWorkload: "Deployment/frontend", dstNamespace: "shop", dstWorkload: "Deployment/cart", dstPort: 8080, protocol: "TCP", reason: "POLICY_DENIED", policies: ["shop/default-deny"], key: `oa${i}` }),
    );
    await conforms("POST", "/api/v1/ingest", await INGEST(ingestRequest([...records, "{broken"].join("\n"), { token: ingestToken })));
    await conforms("POST", "/api/v1/ingest", await INGEST(ingestRequest(records[0] as string, { token: null })));
    await conforms("POST", "/api/v1/ingest", await INGEST(ingestRequest("", { token: ingestToken })));
    await conforms("POST", "/api/v1/ingest", await INGEST(ingestRequest("x", { token: ingestToken, headers: { "content-type": "image/png" } })));
    await conforms("POST", "/api/v1/heartbeat", await HEARTBEAT(send("/heartbeat", "POST", { collector: "oa-test" }, ingestToken)));
    await conforms("POST", "/api/v1/heartbeat", await HEARTBEAT(send("/heartbeat", "POST", { colour: "red" }, ingestToken)));
  });

  it("the drops reads, clusters and a drop path's allow rule", async () => {
    const q = `?cluster=${cluster}&from=${encodeURIComponent(minutesAgo(60))}`;
    await conforms("GET", "/api/v1/drops/series", await SERIES(get(`/drops/series${q}&step=1m&groupBy=verdict`)));
    const paths = (await conforms("GET", "/api/v1/drops/paths", await PATHS(get(`/drops/paths${q}`)))) as { paths: { id: string }[] };
    expect(paths.paths.length).toBeGreaterThan(0);
    await conforms("GET", "/api/v1/drops/events", await EVENTS(get(`/drops/events${q}&limit=2`)));
    await conforms("GET", "/api/v1/drops/policies", await POLICIES(get(`/drops/policies${q}`)));
    await conforms("GET", "/api/v1/drops/still-audited", await STILL_AUDITED(get(`/drops/still-audited${q}`)));
    await conforms("GET", "/api/v1/drops/series", await SERIES(get("/drops/series?step=7m")));
    await conforms("GET", "/api/v1/clusters", await CLUSTERS(get("/clusters")));
    const id = paths.paths[0]?.id as string;
    await conforms("GET", "/api/v1/drops/paths/{cluster}/{id}/allow", await PATH_ALLOW(get(`/drops/paths/${cluster}/${id}/allow?output=json`), params({ cluster, id })));
    await conforms("GET", "/api/v1/drops/paths/{cluster}/{id}/allow", await PATH_ALLOW(get(`/drops/paths/${cluster}/${id}/allow`), params({ cluster, id })));
    await conforms("GET", "/api/v1/drops/paths/{cluster}/{id}/allow", await PATH_ALLOW(get(`/drops/paths/${cluster}/999999/allow`), params({ cluster, id: "999999" })));
  });

  it("short links and namespace classes", async () => {
    const created = (await conforms("POST", "/api/v1/links", await CREATE_LINK(send("/links", "POST", { path: "/?from=2026-01-01T00:00:00Z", title: "oa" }, null)))) as { id: string };
    await conforms("GET", "/api/v1/links/{id}", await LINK(get(`/links/${created.id}`), params({ id: created.id })));
    await conforms("DELETE", "/api/v1/links/{id}", await DELETE_LINK(send(`/links/${created.id}`, "DELETE", undefined, write), params({ id: created.id })));
    await conforms("GET", "/api/v1/links/{id}", await LINK(get(`/links/${created.id}`), params({ id: created.id })));
    const name = `oa-${Date.now().toString(36)}`;
    await conforms("POST", "/api/v1/classes", await CREATE_CLASS(send("/classes", "POST", { name, patterns: ["team-*", "!team-legacy"] }, write)));
    await conforms("GET", "/api/v1/classes", await CLASSES());
    await conforms("GET", "/api/v1/classes/{name}", await CLASS(get(`/classes/${name}`), params({ name })));
    await conforms("PUT", "/api/v1/classes/{name}", await PUT_CLASS(send(`/classes/${name}`, "PUT", { patterns: ["team-*"] }, write), params({ name })));
    await conforms("DELETE", "/api/v1/classes/{name}", await DELETE_CLASS(send(`/classes/${name}`, "DELETE", undefined, write), params({ name })));
  });

  it("rollouts, their stages, health, pre-flight, errors, markers, allow rules and exceptions", async () => {
    const rollout = (await conforms("POST", "/api/v1/rollouts", await CREATE_ROLLOUT(send("/rollouts", "POST", { name: "oa default-deny", clusters: [cluster], policies: ["shop/default-deny"] }, write)))) as { id: string };
    const id = rollout.id;
    await conforms("POST", "/api/v1/rollouts", await CREATE_ROLLOUT(send("/rollouts", "POST", { colour: "red" }, write)));
    await conforms("POST", "/api/v1/rollouts/{id}/stages", await STAGE(send(`/rollouts/${id}/stages`, "POST", { stage: "CANARY", namespaces: ["shop"], at: minutesAgo(20) }, write), params({ id })));
    await conforms("POST", "/api/v1/rollouts/{id}/stages", await STAGE(send(`/rollouts/${id}/stages`, "POST", { stage: "CANARY", namespaces: ["shop"] }, write), params({ id })));
    await conforms("GET", "/api/v1/rollouts", await ROLLOUTS());
    await conforms("GET", "/api/v1/rollouts/{id}", await ROLLOUT(get(`/rollouts/${id}`), params({ id })));
    await conforms("PATCH", "/api/v1/rollouts/{id}", await PATCH_ROLLOUT(send(`/rollouts/${id}`, "PATCH", { owner: "sre" }, write), params({ id })));
    await conforms("GET", "/api/v1/rollouts/{id}/health", await HEALTH(get(`/rollouts/${id}/health`), params({ id })));
    await conforms("GET", "/api/v1/rollouts/{id}/preflight", await PREFLIGHT(get(`/rollouts/${id}/preflight?namespaces=shop`), params({ id })));
    await conforms("GET", "/api/v1/rollouts/{id}/errors", await ERRORS(get(`/rollouts/${id}/errors?from=${encodeURIComponent(minutesAgo(60))}&to=${encodeURIComponent(minutesAgo(0))}`), params({ id })));
    await conforms("GET", "/api/v1/rollouts/{id}/allow", await ROLLOUT_ALLOW(get(`/rollouts/${id}/allow?output=json`), params({ id })));
    await conforms("GET", "/api/v1/rollouts/markers", await MARKERS(get(`/rollouts/markers?cluster=${cluster}&from=${encodeURIComponent(minutesAgo(60))}`)));
    await conforms("GET", "/api/v1/rollouts/{id}", await ROLLOUT(get("/rollouts/nope"), params({ id: "nope" })));

    const paths = (await (await PATHS(get(`/drops/paths?cluster=${cluster}&from=${encodeURIComponent(minutesAgo(60))}`))).json()) as { paths: { id: string }[] };
    const pathId = paths.paths[0]?.id as string;
    await conforms("POST", "/api/v1/acknowledgements", await ACK(send("/acknowledgements", "POST", { cluster, pathId, reason: "scanner", rolloutId: id }, write)));
    await conforms("GET", "/api/v1/acknowledgements", await ACKS(get(`/acknowledgements?rolloutId=${id}`)));
    await conforms("DELETE", "/api/v1/acknowledgements", await UNACK(new Request(url(`/acknowledgements?cluster=${cluster}&pathId=${pathId}&rolloutId=${id}`), { method: "DELETE", headers: { authorization: `Bearer ${write}` } })));
    await conforms("DELETE", "/api/v1/rollouts/{id}", await DELETE_ROLLOUT(send(`/rollouts/${id}`, "DELETE", undefined, write), params({ id })));
  });
});
