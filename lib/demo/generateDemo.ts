// A generated, realistic week of drops for `npm run demo` / `npm start -- --demo`: two clusters,
// fifteen namespaces with a daily rhythm, chronic drop paths, a burst incident and audit-mode
// drops. It goes through the real ingest pipeline, so it exercises what production does.
import { compactRollups } from "../ingest/compact";
import { ingestRecords } from "../ingest/pipeline";
import { listRollouts } from "../queries/rollouts/getRollout";
import { getPrisma } from "../db/prisma";
import { acknowledgePath } from "../rollouts/exceptions";
import { createNamespaceClass, createRollout, recordTransition, RolloutWriteError } from "../rollouts/manage";
import { hubbleDrop, type FlowSpec } from "../testing/hubbleFlows";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface DemoPath extends Omit<FlowSpec, "time" | "uuid" | "srcPort"> {
  /** Mean drops per hour at the daily peak. */
  perHour: number;
  /** An AUDIT path that a rollout's canary starts enforcing at this time (then DROPPED). */
  enforcedFrom?: number;
  /** A path that only appears at this time (a canary's surprise). */
  startsAt?: number;
  /** No daily rhythm (the burst). */
  steady?: boolean;
}

const NAMESPACES = ["payments", "checkout", "catalog", "search", "auth", "web", "batch", "reports", "ml-training", "kube-system", "monitoring", "ingress-nginx", "orders", "inventory", "notifications"];

function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function demoPaths(): DemoPath[] {
  const paths: DemoPath[] = [
    // Chronic: things that have been blocked forever and everybody forgot about. Default denies
    // (POLICY_DENIED) name no policy; explicit deny policies (POLICY_DENY) do, on their PolicyVerdict event.
    { cluster: "demo-eu", srcNamespace: "monitoring", srcWorkload: "prometheus", dstNamespace: "payments", dstWorkload: "api", dstPort: 9090, direction: "INGRESS", perHour: 120 },
    { cluster: "demo-eu", srcNamespace: "batch", srcWorkload: "etl", dstNamespace: "orders", dstWorkload: "postgres", dstPort: 5432, direction: "EGRESS", reason: "POLICY_DENY", policy: "deny-batch-to-db", perHour: 60 },
    { cluster: "demo-us", srcNamespace: "web", srcWorkload: "frontend", dstNamespace: "search", dstWorkload: "elasticsearch", dstPort: 9200, direction: "INGRESS", perHour: 45 },
    { cluster: "demo-us", srcNamespace: "reports", srcWorkload: "renderer", dstNamespace: "kube-system", dstWorkload: "coredns", dstPort: 53, protocol: "UDP", direction: "EGRESS", perHour: 30 },
    // Audit mode: what enforcing the next policy would drop.
    { cluster: "demo-eu", verdict: "AUDIT", srcNamespace: "ml-training", srcWorkload: "trainer", dstNamespace: "inventory", dstWorkload: "api", dstPort: 8080, direction: "INGRESS", perHour: 40 },
    { cluster: "demo-eu", verdict: "AUDIT", srcNamespace: "notifications", srcWorkload: "mailer", dstNamespace: "auth", dstWorkload: "keycloak", dstPort: 8443, direction: "INGRESS", perHour: 25 },
    { cluster: "demo-eu", verdict: "AUDIT", srcNamespace: "checkout", srcWorkload: "cart", dstNamespace: "orders", dstWorkload: "api", dstPort: 8080, direction: "INGRESS", perHour: 30 },
    // Denied by orders' own older allow-list, not by the default-deny rollout: "other policies".
    { cluster: "demo-eu", srcNamespace: "ml-training", srcWorkload: "trainer", dstNamespace: "orders", dstWorkload: "postgres", dstPort: 5432, direction: "INGRESS", reason: "POLICY_DENY", policy: "orders-db-allowlist", perHour: 20 },
    // Not policy's doing: a conntrack table that fills up in the afternoon (an "other drop in scope").
    { cluster: "demo-eu", srcNamespace: "web", srcWorkload: "frontend", dstNamespace: "orders", dstWorkload: "api", dstPort: 8080, direction: "INGRESS", reason: "CT_MAP_INSERTION_FAILED", perHour: 35 },
    { cluster: "demo-us", verdict: "AUDIT", srcNamespace: "checkout", srcWorkload: "cart", dstNamespace: "catalog", dstWorkload: "api", dstPort: 8080, direction: "INGRESS", perHour: 20 },
  ];
  const random = seededRandom(7);
  // A long tail of occasional drops across every namespace.
  for (let i = 0; i < 40; i++) {
    const src = NAMESPACES[Math.floor(random() * NAMESPACES.length)] as string;
    const dst = NAMESPACES[Math.floor(random() * NAMESPACES.length)] as string;
    paths.push({
      cluster: random() < 0.6 ? "demo-eu" : "demo-us",
      srcNamespace: src,
      srcWorkload: ["api", "worker", "cron", "sidecar"][i % 4] as string,
      dstNamespace: dst,
      dstWorkload: ["api", "db", "cache", "queue"][(i >> 2) % 4] as string,
      dstPort: [80, 443, 5432, 6379, 8080, 9092][i % 6] as number,
      direction: random() < 0.7 ? "INGRESS" : "EGRESS",
      verdict: random() < 0.2 ? "AUDIT" : "DROPPED",
      perHour: 1 + Math.floor(random() * 6),
    });
  }
  return paths;
}

/** Daily rhythm: quiet at night (UTC), busy in the afternoon. */
function rhythm(time: number): number {
  const hour = new Date(time).getUTCHours() + new Date(time).getUTCMinutes() / 60;
  return 0.25 + 0.75 * Math.max(0, Math.sin(((hour - 6) / 24) * 2 * Math.PI));
}

export interface DemoOptions {
  now: Date;
  days?: number;
  onProgress?: (done: number, total: number) => void;
}

/** Generates and ingests the demo; returns how many drops were stored. */
export async function loadDemo({ now, days = 7, onProgress }: DemoOptions): Promise<number> {
  const random = seededRandom(42);
  const end = Math.floor(now.getTime() / 60_000) * 60_000;
  const start = end - days * DAY;
  // The incident: a bad default-deny step in checkout, two days ago, for 40 minutes.
  const burstStart = end - 2 * DAY + 14 * HOUR - (end % DAY);
  const paths = demoPathsAt(end);
  const burst: DemoPath = { cluster: "demo-eu", srcNamespace: "checkout", srcWorkload: "cart", dstNamespace: "payments", dstWorkload: "api", dstPort: 8443, direction: "INGRESS", reason: "POLICY_DENIED", perHour: 6000, steady: true };

  let stored = 0;
  const totalSlices = (end - start) / SLICE_MS;
  let slice = 0;
  for (let from = start; from < end; from += SLICE_MS, slice++) {
    const active = [...paths, ...(from >= burstStart && from < burstStart + 40 * 60_000 ? [burst] : [])];
    // Checked in at the clock's time, not the load's start: a slow load must not leave the demo silent.
    stored += await ingestDemoSpan(active, from, SLICE_MS, random, `demo-${from}`, new Date());
    if (slice % 36 === 0) onProgress?.(slice, totalSlices);
  }
  await compactRollups();
  await addDemoRollouts(end);
  return stored;
}

const SLICE_MS = 10 * 60_000;

/**
 * The demo's paths as of a demo ending at `end`: three rollouts' canaries (see addDemoRollouts).
 * inventory's only enforces what audit mode predicted (healthy); auth's also cuts off the web
 * frontend, which audit never saw (breached); orders' enforces a predicted default deny beside a
 * drop by another policy and conntrack drops, which stay outside its budget (healthy).
 */
function demoPathsAt(end: number): DemoPath[] {
  const canaries = demoCanaryTimes(end);
  const paths = demoPaths();
  for (const path of paths) {
    if (path.verdict === "AUDIT" && path.dstNamespace === "inventory") path.enforcedFrom = canaries.inventory;
    if (path.verdict === "AUDIT" && path.dstNamespace === "auth") path.enforcedFrom = canaries.auth;
    if (path.verdict === "AUDIT" && path.dstNamespace === "orders") path.enforcedFrom = canaries.orders;
  }
  paths.push({ cluster: "demo-eu", srcNamespace: "web", srcWorkload: "frontend", dstNamespace: "auth", dstWorkload: "keycloak", dstPort: 8443, direction: "INGRESS", perHour: 90, startsAt: canaries.auth });
  return paths;
}

/** Ingests the paths' drops over [from, from + spanMs), as Cilium reports them. */
async function ingestDemoSpan(paths: DemoPath[], from: number, spanMs: number, random: () => number, idPrefix: string, now: Date): Promise<number> {
  const records: unknown[] = [];
  let sequence = 0;
  for (const path of paths) {
    if (path.startsAt !== undefined && from < path.startsAt) continue;
    const expected = path.perHour * (spanMs / HOUR) * (path.steady ? 1 : rhythm(from));
    const count = Math.floor(expected) + (random() < expected % 1 ? 1 : 0);
    for (let i = 0; i < count; i++) {
      const { perHour: _perHour, enforcedFrom, startsAt: _startsAt, steady: _steady, ...spec } = path;
      const verdict = enforcedFrom !== undefined && from >= enforcedFrom ? "DROPPED" : spec.verdict;
      const time = new Date(from + Math.floor(random() * spanMs));
      sequence++;
      records.push(...hubbleDrop({ ...spec, verdict, time, uuid: `${idPrefix}-${sequence}`, srcPort: 32768 + (sequence % 28000) }));
    }
  }
  const result = await ingestRecords(records.map((value, index) => ({ line: index + 1, value })), { format: "hubble", tokenCluster: null, atomic: false, now });
  return result.accepted;
}

/**
 * Keeps the demo clusters live while `npm start -- --demo` runs: every minute, the last minute's
 * drops of the demo's paths, as a collector would send them (so rollout health sees reporting
 * clusters, and charts move). Returns a stop function.
 */
export function startDemoFeed(end: Date, intervalMs = 60_000): () => void {
  const random = seededRandom(end.getTime());
  const paths = demoPathsAt(Math.floor(end.getTime() / 60_000) * 60_000);
  let from = end.getTime();
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    const now = Date.now();
    ingestDemoSpan(paths, from, now - from, random, `demo-live-${from}`, new Date(now))
      .then(() => (from = now))
      .catch((error: unknown) => console.error("[demo] live feed:", error instanceof Error ? error.message : error))
      .finally(() => (running = false));
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** Canary start times, on 10-minute slice boundaries so the data switches exactly there. */
function demoCanaryTimes(end: number): { observe: number; inventory: number; auth: number; orders: number } {
  const slice = (t: number) => Math.floor(t / SLICE_MS) * SLICE_MS;
  return { observe: slice(end - 5 * DAY), inventory: slice(end - 36 * HOUR), auth: slice(end - 12 * HOUR), orders: slice(end - 6 * HOUR) };
}

async function addDemoRollouts(end: number): Promise<void> {
  const existing = new Set((await listRollouts()).map((r) => r.name));
  try {
    await createNamespaceClass({ name: "tier-2", description: "internal services, kube-* excluded", patterns: ["inventory", "auth", "orders", "notifications", "!kube-*"] });
  } catch (error) {
    if (!(error instanceof RolloutWriteError && error.status === 409)) throw error;
  }
  const times = demoCanaryTimes(end);
  // The clock the transitions' times are checked against (none may be in the future). The rollouts'
  // createdAt and updatedAt do not come from it: manage.ts writes both with the process clock.
  const now = new Date();
  const at = (t: number) => new Date(t).toISOString();
  const rollouts = [
    { name: "default-deny: inventory", owner: "team-platform", canaryAt: times.inventory, namespace: "inventory", note: "first namespace of tier-2" },
    { name: "default-deny: auth", owner: "team-identity", canaryAt: times.auth, namespace: "auth", note: "keycloak locked down" },
    { name: "default-deny: orders", owner: "team-commerce", canaryAt: times.orders, namespace: "orders", note: "orders next; batch is already blocked by its own policy" },
  ];
  for (const spec of rollouts) {
    if (existing.has(spec.name)) continue;
    const { id } = await createRollout({
      name: spec.name,
      owner: spec.owner,
      description: "Demo: default-deny ingress, observed in audit mode on tier-2, then a canary namespace.",
      policies: [`${spec.namespace}/default-deny`],
      clusters: ["demo-eu"],
      // The demo's drops follow a daily rhythm (peak about twice the day's mean): a budget that fits
      // it, so the healthy canaries stay healthy at any hour of the day.
      budget: { maxNewPaths: 0, maxIncreasePct: 300 },
    });
    await recordTransition(id, { stage: "OBSERVE", namespaces: [], classes: ["tier-2"], note: "audit mode on tier-2", at: at(times.observe) }, "release-bot", now);
    await recordTransition(id, { stage: "CANARY", namespaces: [spec.namespace], classes: [], note: spec.note, at: at(spec.canaryAt) }, "release-bot", now);
    await addDemoExceptions(spec.namespace, id, times, end);
  }
}

/**
 * Exceptions, recorded when the canaries began (through the same write path as the API):
 * - auth: web/frontend's calls to keycloak were excepted for 6 hours while its fix shipped; the fix
 *   did not ship, the exception expired, and the path counts again (it is what breaches the canary);
 * - orders: orders/api → web/db is an egress path that a separate egress policy keeps in audit mode
 *   on purpose; without the exception it would be a predicted path still only audited (NOT_ENFORCED).
 */
async function addDemoExceptions(namespace: string, rolloutId: string, times: ReturnType<typeof demoCanaryTimes>, end: number): Promise<void> {
  const pathId = async (where: { src: [string, string]; dst: [string, string]; port: number }) => {
    const path = await getPrisma().dropPath.findFirst({
      where: {
        cluster: "demo-eu",
        srcNamespace: where.src[0],
        srcWorkload: { endsWith: where.src[1] },
        dstNamespace: where.dst[0],
        dstWorkload: { endsWith: where.dst[1] },
        dstPort: where.port,
      },
      select: { id: true },
    });
    return path?.id.toString() ?? null;
  };
  if (namespace === "auth") {
    const id = await pathId({ src: ["web", "frontend"], dst: ["auth", "keycloak"], port: 8443 });
    if (!id) return;
    await acknowledgePath(
      { cluster: "demo-eu", pathId: id, rolloutId, owner: "team-identity", reason: "frontend logs in through the old keycloak route until FE-2231 ships", expiresAt: new Date(times.auth + 6 * HOUR).toISOString() },
      "team-identity",
      new Date(times.auth),
    );
  }
  if (namespace === "orders") {
    const id = await pathId({ src: ["orders", "api"], dst: ["web", "db"], port: 8080 });
    if (!id) return;
    await acknowledgePath(
      { cluster: "demo-eu", pathId: id, rolloutId, owner: "team-commerce", reason: "egress from orders: its own egress policy stays in audit mode until the egress rollout", expiresAt: new Date(end + 7 * DAY).toISOString() },
      "team-commerce",
      new Date(times.orders),
    );
  }
}
