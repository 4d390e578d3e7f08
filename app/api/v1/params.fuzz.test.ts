// Property test of every read and write parameter of the API (README "Read API", "Rollout API"): the
// real handlers on the run's PostgreSQL, with random query strings (raw percent-escapes, NUL,
// impossible times, repeated and unknown parameters) and random JSON bodies (valid bodies with fields
// mutated by type, random JSON, broken JSON). Whatever comes in: never a 5xx, and every 4xx is the
// error envelope {"error": {"code", "message"}}.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestRecords } from "@/lib/ingest/pipeline";
import { getTopDropPaths } from "@/lib/queries/drops/getTopDropPaths";
import { tokenFor, uniqueCluster } from "@/lib/testing/db";
import { FUZZ_SEED, hostileJson, jsonText, mutate, mutation, NASTY_STRINGS, shown } from "@/lib/testing/fuzz";
import { DELETE as UNACK, GET as ACKS, POST as ACK } from "./acknowledgements/route";
import { GET as CLASSES, POST as CREATE_CLASS } from "./classes/route";
import { GET as ONE_CLASS, PUT as PUT_CLASS } from "./classes/[name]/route";
import { GET as CLUSTERS } from "./clusters/route";
import { GET as EVENTS } from "./drops/events/route";
import { GET as PATHS } from "./drops/paths/route";
import { GET as POLICIES } from "./drops/policies/route";
import { GET as SERIES } from "./drops/series/route";
import { POST as HEARTBEAT } from "./heartbeat/route";
import { POST as CREATE_LINK } from "./links/route";
import { GET as ONE_LINK } from "./links/[id]/route";
import { GET as HEALTH } from "./rollouts/[id]/health/route";
import { GET as PREFLIGHT } from "./rollouts/[id]/preflight/route";
import { GET as ONE_ROLLOUT, PATCH as PATCH_ROLLOUT } from "./rollouts/[id]/route";
import { POST as STAGE } from "./rollouts/[id]/stages/route";
import { GET as MARKERS } from "./rollouts/markers/route";
import { GET as ROLLOUTS, POST as CREATE_ROLLOUT } from "./rollouts/route";

const RUNS = 60;
const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000).toISOString();
const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** A handler's answer must be below 500; a 4xx must be the envelope, a 2xx JSON (or 204 empty). */
async function expectAnswered(response: Response, what: string): Promise<void> {
  const text = await response.text();
  expect(response.status, `${what} -> ${response.status} ${text.slice(0, 300)}`).toBeLessThan(500);
  if (response.status === 204) return;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`${what} -> ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`);
  }
  if (response.status >= 400) {
    const error = (body as { error?: { code?: unknown; message?: unknown } }).error;
    expect(typeof error?.code === "string" && error.code !== "", `${what} -> ${response.status} ${text.slice(0, 300)}`).toBe(true);
    expect(typeof error?.message === "string" && error.message !== "", `${what} -> ${response.status} ${text.slice(0, 300)}`).toBe(true);
  }
}

// ---------------------------------------------------------------------------------------------
// Query strings

/** Text as a URL can carry it: a lone surrogate has no UTF-8 (encodeURIComponent throws; a server decodes U+FFFD). */
const wellFormed = (text: string) => text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd");

/** Raw fragments a client can put in a URL: percent-escapes of NUL, broken UTF-8, lone surrogates, stray separators. */
const RAW = ["%00", "%", "%Z", "%ZZ", "%C3%28", "%ED%A0%80", "%FF", "%E2%80%A8", "%1F", "+", "%2B", "%26", "%3D", "%2C", "a%00b"];

const timeValue = fc.oneof(
  fc.integer({ min: -60 * 24 * 500, max: 60 * 24 * 2 }).map((m) => minutesAgo(m)),
  fc.constantFrom(
    "1970-01-01T00:00:00Z", "1969-12-31T23:59:59Z", "9999-12-31T23:59:59Z", "9999-12-31T23:59:59-23:59", "0000-01-01T00:00:00Z",
    "+275760-09-13T00:00:00.000Z", "2026-02-30T00:00:00Z", "2026-11-28T10:00:00", "2026-11-28T10:00:00.123456789+02:00", "2026-11-28", "now", "0", "'",
  ),
);
const numberValue = fc.oneof(fc.integer({ min: -5, max: 2_100 }).map(String), fc.constantFrom("0", "-1", "1e3", "NaN", "Infinity", "0x10", " 5", "5.5", "9999999999999999999", ""));
const nameValue = fc.oneof(
  fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/),
  fc.constantFrom(...NASTY_STRINGS.filter((s) => s.length < 300)),
  fc.array(fc.stringMatching(/^[a-z]{1,5}$/), { maxLength: 120 }).map((names) => names.join(",")),
);
const cursorValue = fc.oneof(
  fc.tuple(timeValue, nameValue, nameValue).map((parts) => base64url(parts)),
  fc.constantFrom(base64url([]), base64url([1, 2, 3]), base64url(["x", "y"]), "e30", "!!!", base64url([minutesAgo(1), "c\u0000", "k"])),
  fc.string({ maxLength: 40 }),
);
const pathIdValue = fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 64n }).map(String), fc.constantFrom("9223372036854775807", "9223372036854775808", "-1", "01", "1e3", "x"));
const enumValue = fc.constantFrom("DROPPED", "AUDIT", "INGRESS", "EGRESS", "UNKNOWN", "1m", "5m", "1h", "1d", "namespace", "cluster", "reason", "verdict", "direction", "dropped", "(other)");

const VALUES: Record<string, fc.Arbitrary<string>> = {
  from: timeValue, to: timeValue, limit: numberValue, hours: numberValue, stage: numberValue, step: enumValue, groupBy: enumValue,
  verdict: enumValue, direction: enumValue, cursor: cursorValue, path: pathIdValue, pathId: pathIdValue,
};
const anyValue = fc.oneof(nameValue, timeValue, numberValue, enumValue);

/** A query string over `names` (and strangers): values encoded, raw, or with raw fragments; parameters repeated. */
function queryString(names: readonly string[], values: Record<string, fc.Arbitrary<string>> = {}): fc.Arbitrary<string> {
  const valuesOf = (name: string) => (Object.hasOwn(values, name) ? values[name] : Object.hasOwn(VALUES, name) ? VALUES[name] : undefined) ?? anyValue;
  const stranger = fc.oneof(fc.constantFrom("x", "%00", "", "from[]", "__proto__"), fc.string({ maxLength: 6 }).map(wellFormed));
  const pair = fc
    .tuple(fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...names) }, { weight: 1, arbitrary: stranger }), fc.constantFrom("encoded", "raw", "fragment"))
    .chain(([name, how]) =>
      fc.tuple(valuesOf(name).map(wellFormed), fc.constantFrom(...RAW)).map(([value, fragment]) => {
        const key = /^[\w[\]%]*$/.test(name) ? name : encodeURIComponent(name);
        if (how === "encoded") return `${key}=${encodeURIComponent(value)}`;
        if (how === "raw") return `${key}=${value.replace(/[#&\s]/g, "")}`;
        return `${key}=${encodeURIComponent(value)}${fragment}`;
      }),
    );
  return fc.oneof(
    { weight: 9, arbitrary: fc.array(pair, { maxLength: 6 }).map((pairs) => pairs.join("&")) },
    { weight: 1, arbitrary: fc.constantFrom("", "&", "&&=&", "=x", "a=b=c", "from", "limit=", "?", "%", "%00") },
  );
}

const DROP_FILTERS = ["from", "to", "cluster", "namespace", "verdict", "direction", "reason", "policy"];

/** A route handler; its path parameter arrives as both `id` and `name` (each route reads its own). */
type Handler = (request: Request, context: { params: Promise<{ id: string; name: string }> }) => Response | Promise<Response>;
const paramsOf = (value: string) => ({ params: Promise.resolve({ id: value, name: value }) });

interface ReadEndpoint {
  name: string;
  handler: Handler;
  params: readonly string[];
  /** The path parameter's values: a real id, and strangers. */
  ids?: () => fc.Arbitrary<string>;
}

// ---------------------------------------------------------------------------------------------
// Fixtures: a cluster with drops, a drop path, a class and a rollout with stages, for the handlers to go past "not found".

let write: string;
let boundWrite: string;
let ingestToken: string;
let cluster: string;
let pathId: string;
let rolloutId: string;
let linkId: string;
const className = `fuzz-${Date.now().toString(36)}`;

beforeAll(async () => {
  process.env.DROPBOARD_LINKS_PER_MINUTE = "100000";
  cluster = uniqueCluster("params");
  write = await tokenFor("write", null);
  boundWrite = await tokenFor("write", cluster);
  ingestToken = await tokenFor("ingest", cluster);
  const records = ["web", "db", "team-a"].map((namespace, i) => ({
    line: i + 1,
    value: { format: "native", time: minutesAgo(30 + i), cluster, verdict: i === 2 ? "AUDIT" : "DROPPED", direction: "INGRESS", srcNamespace: "web", dstNamespace: namespace, dstPort: 80 + i, policies: ["p/deny"] },
  }));
  await ingestRecords(records, { format: "auto", tokenCluster: null, atomic: false, now: new Date() });
  const paths = await getTopDropPaths({ from: new Date(Date.now() - 3_600_000), to: new Date(), limit: 5, cluster: [cluster] });
  pathId = paths[0]?.id ?? "1";
  const json = (method: string, body: unknown) => ({ method, headers: { authorization: `Bearer ${write}`, "content-type": "application/json" }, body: JSON.stringify(body) });
  expect((await CREATE_CLASS(new Request("http://localhost/api/v1/classes", json("POST", { name: className, patterns: ["team-*", "!team-legacy"] })))).status).toBe(201);
  const created = await CREATE_ROLLOUT(new Request("http://localhost/api/v1/rollouts", json("POST", { name: "fuzz", clusters: [cluster], policies: ["p/deny"] })));
  rolloutId = ((await created.json()) as { id: string }).id;
  for (const stage of ["OBSERVE", "CANARY"]) {
    const answer = await STAGE(new Request(`http://localhost/api/v1/rollouts/${rolloutId}/stages`, json("POST", { stage, classes: [className] })), { params: Promise.resolve({ id: rolloutId }) });
    expect(answer.status).toBe(201);
  }
  const link = await CREATE_LINK(new Request("http://localhost/api/v1/links", json("POST", { path: "/?from=2026-11-28T10:00:00Z" })));
  linkId = ((await link.json()) as { id: string }).id;
});

afterAll(() => {
  delete process.env.DROPBOARD_LINKS_PER_MINUTE;
});

const idOf = (real: () => string) => () =>
  fc.oneof({ weight: 3, arbitrary: fc.constant(null).map(real) }, { weight: 2, arbitrary: fc.oneof(nameValue, fc.constantFrom("x".repeat(33), "%00", "\u0000", "a/b", "..")).map(wellFormed) });

const READS: ReadEndpoint[] = [
  { name: "drops/series", handler: SERIES, params: [...DROP_FILTERS, "step", "groupBy", "limit", "path"] },
  { name: "drops/paths", handler: PATHS, params: [...DROP_FILTERS, "limit", "q"] },
  { name: "drops/events", handler: EVENTS, params: [...DROP_FILTERS, "limit", "cursor", "path", "q"] },
  { name: "drops/policies", handler: POLICIES, params: [...DROP_FILTERS, "limit"] },
  { name: "clusters", handler: CLUSTERS, params: ["from", "to"] },
  { name: "rollouts/markers", handler: MARKERS, params: ["from", "to", "cluster", "namespace"] },
  { name: "rollouts/{id}/health", handler: HEALTH, params: ["stage"], ids: idOf(() => rolloutId) },
  { name: "rollouts/{id}/preflight", handler: PREFLIGHT, params: ["namespaces", "classes", "hours"], ids: idOf(() => rolloutId) },
  { name: "rollouts/{id}", handler: ONE_ROLLOUT, params: [], ids: idOf(() => rolloutId) },
  { name: "classes/{name}", handler: ONE_CLASS, params: [], ids: idOf(() => className) },
  { name: "links/{id}", handler: ONE_LINK, params: [], ids: idOf(() => linkId) },
  { name: "acknowledgements", handler: ACKS, params: ["rolloutId"] },
  { name: "rollouts", handler: ROLLOUTS, params: [] },
  { name: "classes", handler: CLASSES, params: [] },
];

describe("reads: random query strings", () => {
  it.each(READS.map((endpoint) => [endpoint.name, endpoint] as const))("%s never answers 5xx, and 4xx in the envelope", async (_name, endpoint) => {
    // Preflight names classes that exist (and strangers), so its queries run past "no such class".
    const values: Record<string, fc.Arbitrary<string>> = endpoint.name.endsWith("preflight") ? { classes: fc.oneof(fc.constant(null).map(() => className), nameValue) } : {};
    const id = endpoint.ids ? endpoint.ids() : fc.constant("");
    const runs = endpoint.params.length === 0 ? 20 : RUNS;
    await fc.assert(
      fc.asyncProperty(queryString(endpoint.params.length > 0 ? endpoint.params : ["x"], values), id, async (query, idValue) => {
        const path = endpoint.name.replace(/\{\w+\}/, encodeURIComponent(idValue));
        const request = new Request(`http://localhost/api/v1/${path}?${query}`);
        await expectAnswered(await endpoint.handler(request, paramsOf(idValue)), `GET ${path}?${query}`);
      }),
      { seed: FUZZ_SEED, numRuns: runs, endOnFailure: true },
    );
  }, 60_000);

  it("acknowledgements DELETE: random query strings", async () => {
    const values = { cluster: fc.oneof(fc.constant(null).map(() => cluster), nameValue), rolloutId: fc.oneof(fc.constant(null).map(() => rolloutId), nameValue) };
    await fc.assert(
      fc.asyncProperty(queryString(["cluster", "pathId", "rolloutId"], values), fc.boolean(), async (query, bound) => {
        const request = new Request(`http://localhost/api/v1/acknowledgements?${query}`, { method: "DELETE", headers: { authorization: `Bearer ${bound ? boundWrite : write}` } });
        await expectAnswered(await UNACK(request), `DELETE acknowledgements?${query}`);
      }),
      { seed: FUZZ_SEED, numRuns: RUNS, endOnFailure: true },
    );
  }, 60_000);
});

// ---------------------------------------------------------------------------------------------
// JSON bodies

/** A body as text: a valid one with fields mutated by type, random JSON, or text that is not JSON. */
function bodyText(valid: () => Record<string, unknown>): fc.Arbitrary<string> {
  const mutated = fc.array(mutation, { maxLength: 3 }).map((mutations) => jsonText(mutate(valid(), mutations)));
  const random = hostileJson.map((value) => jsonText(value));
  const broken = fc.constantFrom("", "{", "{\"name\":", "\u0000", '{"name":"a\\u0000"}', '{"\\u0000":1}', "null", "[]", '"x"', "1e400", "x".repeat(70_000), `{"name":"${"x".repeat(70_000)}"}`);
  return fc.oneof({ weight: 6, arbitrary: mutated }, { weight: 2, arbitrary: random }, { weight: 1, arbitrary: broken });
}

const nowPlus = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();
let serial = 0;

interface WriteEndpoint {
  name: string;
  method: string;
  handler: Handler;
  valid: () => Record<string, unknown>;
  id?: () => string;
  /** Which token signs it: write (bound to no cluster or to the fixtures' cluster), ingest, or none. */
  tokens?: () => (string | null)[];
}

const WRITES: WriteEndpoint[] = [
  {
    name: "rollouts",
    method: "POST",
    handler: CREATE_ROLLOUT,
    valid: () => ({
      name: `fuzz ${++serial}`, description: "d", owner: "o", changeUrl: "https://git.example/pr/42", policyKind: "CiliumNetworkPolicy", policies: ["p/deny"],
      clusters: [cluster], budget: { maxNewPaths: 0, maxExtraDropsPerMin: 1.5, maxIncreasePct: 50, maxErrorRatio: 0.1, maxErrorIncreasePct: 10 },
      baselineMinutes: 60, soakMinutes: 60, errorQuery: 'sum(rate(x{namespace=~"$namespaces"}[$window]))', prometheusUrl: null, enforcementGraceMinutes: 10,
      // Refused (loopback) unless mutated away: the fuzz never points a rollout's webhook at a real target.
      webhookUrl: "http://127.0.0.1:9/hook",
    }),
  },
  {
    name: "rollouts/{id}",
    method: "PATCH",
    handler: PATCH_ROLLOUT,
    id: () => rolloutId,
    valid: () => ({ owner: "o", policies: ["p/deny"], clusters: [cluster], budget: { maxNewPaths: 1 }, soakMinutes: 30, webhookUrl: null, errorQuery: null }),
  },
  {
    name: "rollouts/{id}/stages",
    method: "POST",
    handler: STAGE,
    id: () => rolloutId,
    valid: () => ({ stage: "EXPAND", at: minutesAgo(0), namespaces: ["team-a"], classes: [className], actor: "fuzz", note: "n", override: "o" }),
  },
  { name: "classes", method: "POST", handler: CREATE_CLASS, valid: () => ({ name: `fuzz-${++serial}`, description: "d", patterns: ["team-*", "!team-legacy", "a?c"] }) },
  { name: "classes/{name}", method: "PUT", handler: PUT_CLASS, id: () => className, valid: () => ({ description: "d", patterns: ["team-*", "!team-legacy"] }) },
  { name: "links", method: "POST", handler: CREATE_LINK, valid: () => ({ path: "/?from=2026-11-28T10:00:00Z&to=2026-11-28T11:00:00Z", title: "t" }), tokens: () => [null] },
  {
    name: "acknowledgements",
    method: "POST",
    handler: ACK,
    valid: () => ({ cluster, pathId, reason: "scanner", actor: "a", owner: "sre", expiresAt: nowPlus(60), rolloutId }),
  },
  { name: "heartbeat", method: "POST", handler: HEARTBEAT, valid: () => ({ cluster, collector: "fuzz" }), tokens: () => [ingestToken] },
];

describe("writes: random JSON bodies", () => {
  it.each(WRITES.map((endpoint) => [`${endpoint.method} ${endpoint.name}`, endpoint] as const))("%s never answers 5xx, and 4xx in the envelope", async (_name, endpoint) => {
    const tokens = endpoint.tokens?.() ?? [write, boundWrite];
    await fc.assert(
      fc.asyncProperty(bodyText(endpoint.valid), fc.constantFrom(...tokens), async (body, token) => {
        const id = endpoint.id?.() ?? "";
        const path = endpoint.name.replace(/\{\w+\}/, encodeURIComponent(id));
        const headers: Record<string, string> = { "content-type": "application/json" };
        if (token) headers.authorization = `Bearer ${token}`;
        const request = new Request(`http://localhost/api/v1/${path}`, { method: endpoint.method, headers, body });
        await expectAnswered(await endpoint.handler(request, paramsOf(id)), `${endpoint.method} ${path} ${shown(body)}`);
      }),
      { seed: FUZZ_SEED, numRuns: RUNS, endOnFailure: true },
    );
  }, 60_000);
});
