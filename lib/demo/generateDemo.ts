// A generated, realistic week of drops for `npm run demo` / `npm start -- --demo`: two clusters,
// fifteen namespaces with a daily rhythm, chronic drop paths, a burst incident and audit-mode
// drops. It goes through the real ingest pipeline, so it exercises what production does.
import { compactRollups } from "../ingest/compact";
import { ingestRecords } from "../ingest/pipeline";
import { listRollouts } from "../queries/rollouts/getRollout";
import { createNamespaceClass, createRollout, recordTransition, RolloutWriteError } from "../rollouts/manage";
import { hubbleFlow, type FlowSpec } from "../testing/hubbleFlows";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface DemoPath extends Omit<FlowSpec, "time" | "uuid" | "srcPort"> {
  /** Mean drops per hour at the daily peak. */
  perHour: number;
  /** An AUDIT path that a rollout's canary starts enforcing at this time (then DROPPED). */
  enforcedFrom?: number;
  /** A path that only appears at this time (a canary's surprise). */
  startsAt?: number;
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
    // Chronic: things that have been blocked forever and everybody forgot about.
    { cluster: "demo-eu", srcNamespace: "monitoring", srcWorkload: "prometheus", dstNamespace: "payments", dstWorkload: "api", dstPort: 9090, direction: "INGRESS", policy: "default-deny", perHour: 120 },
    { cluster: "demo-eu", srcNamespace: "batch", srcWorkload: "etl", dstNamespace: "orders", dstWorkload: "postgres", dstPort: 5432, direction: "EGRESS", reason: "POLICY_DENY", policy: "deny-batch-to-db", perHour: 60 },
    { cluster: "demo-us", srcNamespace: "web", srcWorkload: "frontend", dstNamespace: "search", dstWorkload: "elasticsearch", dstPort: 9200, direction: "INGRESS", perHour: 45 },
    { cluster: "demo-us", srcNamespace: "reports", srcWorkload: "renderer", dstNamespace: "kube-system", dstWorkload: "coredns", dstPort: 53, protocol: "UDP", direction: "EGRESS", perHour: 30 },
    // Audit mode: what enforcing the next policy would drop.
    { cluster: "demo-eu", verdict: "AUDIT", srcNamespace: "ml-training", srcWorkload: "trainer", dstNamespace: "inventory", dstWorkload: "api", dstPort: 8080, direction: "INGRESS", perHour: 40 },
    { cluster: "demo-eu", verdict: "AUDIT", srcNamespace: "notifications", srcWorkload: "mailer", dstNamespace: "auth", dstWorkload: "keycloak", dstPort: 8443, direction: "INGRESS", perHour: 25 },
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
  const paths = demoPaths();
  // The incident: a bad default-deny step in checkout, two days ago, for 40 minutes.
  const burstStart = end - 2 * DAY + 14 * HOUR - (end % DAY);
  // Two rollouts' canaries (see addDemoRollouts): inventory's only enforces what audit mode
  // predicted (healthy); auth's also cuts off the web frontend, which audit never saw (breached).
  const canaries = demoCanaryTimes(end);
  for (const path of paths) {
    if (path.verdict === "AUDIT" && path.dstNamespace === "inventory") path.enforcedFrom = canaries.inventory;
    if (path.verdict === "AUDIT" && path.dstNamespace === "auth") path.enforcedFrom = canaries.auth;
  }
  paths.push({ cluster: "demo-eu", srcNamespace: "web", srcWorkload: "frontend", dstNamespace: "auth", dstWorkload: "keycloak", dstPort: 8443, direction: "INGRESS", policy: "auth-default-deny", perHour: 90, startsAt: canaries.auth });
  const burst: DemoPath = { cluster: "demo-eu", srcNamespace: "checkout", srcWorkload: "cart", dstNamespace: "payments", dstWorkload: "api", dstPort: 8443, direction: "INGRESS", reason: "POLICY_DENIED", policy: "payments-default-deny", perHour: 6000 };

  let stored = 0;
  let sequence = 0;
  const totalSlices = (end - start) / (10 * 60_000);
  let slice = 0;
  for (let from = start; from < end; from += 10 * 60_000, slice++) {
    const records: unknown[] = [];
    const active = [...paths, ...(from >= burstStart && from < burstStart + 40 * 60_000 ? [burst] : [])];
    for (const path of active) {
      if (path.startsAt !== undefined && from < path.startsAt) continue;
      const expected = (path.perHour / 6) * (path === burst ? 1 : rhythm(from));
      const count = Math.floor(expected) + (random() < expected % 1 ? 1 : 0);
      for (let i = 0; i < count; i++) {
        const { perHour: _perHour, enforcedFrom, startsAt: _startsAt, ...spec } = path;
        const verdict = enforcedFrom !== undefined && from >= enforcedFrom ? "DROPPED" : spec.verdict;
        records.push(
          hubbleFlow({ ...spec, verdict, ...(verdict === "DROPPED" && enforcedFrom !== undefined ? { reason: "POLICY_DENIED" } : {}), time: new Date(from + Math.floor(random() * 10 * 60_000)), uuid: `demo-${sequence++}`, srcPort: 32768 + (sequence % 28000) }),
        );
      }
    }
    const result = await ingestRecords(
      records.map((value, index) => ({ line: index + 1, value })),
      { format: "hubble", tokenCluster: null, atomic: false, now },
    );
    stored += result.accepted;
    if (slice % 36 === 0) onProgress?.(slice, totalSlices);
  }
  await compactRollups();
  await addDemoRollouts(end);
  return stored;
}

/** Canary start times, on 10-minute slice boundaries so the data switches exactly there. */
function demoCanaryTimes(end: number): { observe: number; inventory: number; auth: number } {
  const slice = (t: number) => Math.floor(t / (10 * 60_000)) * 10 * 60_000;
  return { observe: slice(end - 5 * DAY), inventory: slice(end - 36 * HOUR), auth: slice(end - 12 * HOUR) };
}

async function addDemoRollouts(end: number): Promise<void> {
  const existing = new Set((await listRollouts()).map((r) => r.name));
  try {
    await createNamespaceClass({ name: "tier-2", description: "internal services, kube-* excluded", patterns: ["inventory", "auth", "orders", "notifications", "!kube-*"] });
  } catch (error) {
    if (!(error instanceof RolloutWriteError && error.status === 409)) throw error;
  }
  const times = demoCanaryTimes(end);
  const now = new Date(end);
  const at = (t: number) => new Date(t).toISOString();
  const rollouts = [
    { name: "default-deny: inventory", owner: "team-platform", canaryAt: times.inventory, namespace: "inventory", note: "first namespace of tier-2" },
    { name: "default-deny: auth", owner: "team-identity", canaryAt: times.auth, namespace: "auth", note: "keycloak locked down" },
  ];
  for (const spec of rollouts) {
    if (existing.has(spec.name)) continue;
    const { id } = await createRollout({
      name: spec.name,
      owner: spec.owner,
      description: "Demo: default-deny ingress, observed in audit mode on tier-2, then a canary namespace.",
      policies: [`${spec.namespace}/default-deny`],
      clusters: ["demo-eu"],
      budget: { maxNewPaths: 0, maxIncreasePct: 100 },
    });
    await recordTransition(id, { stage: "OBSERVE", namespaces: [], classes: ["tier-2"], note: "audit mode on tier-2", at: at(times.observe) }, "release-bot", now);
    await recordTransition(id, { stage: "CANARY", namespaces: [spec.namespace], classes: [], note: spec.note, at: at(spec.canaryAt) }, "release-bot", now);
  }
}
