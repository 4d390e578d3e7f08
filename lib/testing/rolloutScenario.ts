// Runs a rollout scenario (lib/rollouts/scenarios/*.scenario.ts) through the real route handlers
// (ingest, heartbeat, rollouts, stages, acknowledgements, health) on the run's real PostgreSQL,
// with the clock (Date only) set to each moment of the timeline. Records are sent the way a
// collector sends them: in order, each batch at the time of its newest record, so a stream that
// stops leaves its cluster silent from then on.
import { randomBytes } from "node:crypto";
import { vi } from "vitest";
import { POST as postAcknowledgement } from "@/app/api/v1/acknowledgements/route";
import { POST as postHeartbeat } from "@/app/api/v1/heartbeat/route";
import { POST as postIngest } from "@/app/api/v1/ingest/route";
import { GET as getHealth } from "@/app/api/v1/rollouts/[id]/health/route";
import { POST as postStage } from "@/app/api/v1/rollouts/[id]/stages/route";
import { POST as postRollout } from "@/app/api/v1/rollouts/route";
import type { RolloutHealth, RolloutState } from "../queries/rollouts/getRolloutHealth";
import { createNamespaceClass, updateNamespaceClass } from "../rollouts/manage";
import type { RolloutStage } from "../rollouts/stages";
import { evaluateRollouts } from "../rollouts/webhooks";
import type { Budget, EnforcementFigure, ErrorSignal, HealthFigures, HealthVerdict } from "../rollouts/verdict";
import { tokenFor } from "./db";

/** Minute 0 of every scenario: a fixed moment, so timelines read the same every run. */
export const T0 = new Date("2026-11-30T10:00:00Z");
const MINUTE_MS = 60_000;

/** A drop path dropped at a steady rate over [from, to) minutes: "web/frontend -> shop/legacy". */
export interface Stream {
  cluster?: string;
  path: string;
  port?: number;
  from: number;
  to: number;
  verdict?: "DROPPED" | "AUDIT";
  reason?: string;
  policies?: string[];
  perMinute?: number;
  /** Drops per minute cycling with the minute (minute mod length); overrides perMinute; 0 sends nothing. */
  pattern?: number[];
  direction?: "INGRESS" | "EGRESS";
}

export type Step =
  | { at: number; transition: { stage: RolloutStage; namespaces?: string[]; classes?: string[]; override?: string }; status?: number; error?: string }
  | { at: number; editClass: { name: string; patterns: string[] } }
  | { at: number; acknowledge: { path: string; cluster?: string; reason: string; owner?: string; expiresInMinutes?: number; rolloutOnly?: boolean } }
  | { at: number; evaluate: true }
  | { at: number; expect: Expectation; stage?: number };

export interface Expectation {
  verdict: HealthVerdict;
  state?: RolloutState;
  /** Each must be contained in one of the reasons (cluster and class names as the scenario spells them). */
  reasons?: string[];
  /** Exactly these reasons, in order. */
  reasonsAre?: string[];
  figures?: Partial<Omit<HealthFigures, "clusters" | "enforcement" | "errors">> & { enforcement?: Partial<EnforcementFigure>; errors?: Partial<ErrorSignal> };
  /** Paths as "web/frontend -> shop/legacy", in any order. */
  surprises?: string[];
  expected?: string[];
  otherPolicies?: string[];
  /** Facts of named paths (found among surprises, expected, acknowledged and other policies). */
  paths?: PathExpectation[];
}

export interface PathExpectation {
  path: string;
  /** Contained in the path's attributionText. */
  attribution?: string;
  policies?: string[];
  dropped?: number;
}

export interface Scenario {
  name: string;
  /** Minute 0: T0 (default), or "now": the last step falls on the real clock, for signals read from outside (Prometheus). */
  t0?: "fixed" | "now";
  clusters?: string[];
  classes?: { name: string; patterns: string[] }[];
  rollout: {
    policies?: string[];
    budget?: Partial<Budget>;
    baselineMinutes?: number;
    soakMinutes?: number;
    enforcementGraceMinutes?: number;
    clusters?: string[];
    /** An error query, read from the test's Prometheus ("test") or from an address nothing listens on ("down"). */
    errorBudget?: { query: string; prometheus: "test" | "down" };
  };
  streams?: Stream[];
  /** Records in any source format, sent at minute `at` (times inside them are the scenario's to set). */
  records?: { at: number; cluster?: string; lines: (minute: (m: number) => string, cluster: (alias: string) => string) => unknown[] }[];
  /** A collector with nothing to send: a heartbeat every `every` minutes over [from, to). */
  heartbeats?: { cluster: string; from: number; to: number; every: number }[];
  steps: Step[];
}

interface Pending {
  time: number;
  cluster: string;
  line: string;
}

type Event = { time: number; run: () => Promise<void> };

export interface ScenarioOptions {
  /** The test's Prometheus, for scenarios whose error budget reads "test". */
  prometheusUrl?: string;
  /** An address where nothing listens, for "down". */
  downUrl?: string;
}

function parsePath(path: string): { src: [string, string]; dst: [string, string] } {
  const [src, dst] = path.split("->").map((side) => side.trim().split("/") as [string, string]);
  if (!src?.[1] || !dst?.[1]) throw new Error(`scenario path "${path}" is not "ns/workload -> ns/workload"`);
  return { src, dst };
}

const label = (p: { srcNamespace: string | null; srcWorkload: string | null; dstNamespace: string | null; dstWorkload: string | null }) =>
  `${p.srcNamespace}/${p.srcWorkload} -> ${p.dstNamespace}/${p.dstWorkload}`;

export async function runScenario(
  scenario: Scenario,
  check: (health: RolloutHealth, expectation: Expectation, where: string) => void,
  options: ScenarioOptions = {},
): Promise<void> {
  const lastMinute = Math.max(0, ...scenario.steps.map((s) => s.at));
  const t0 = scenario.t0 === "now" ? Date.now() - lastMinute * MINUTE_MS : T0.getTime();
  const at = (minute: number) => new Date(t0 + minute * MINUTE_MS);
  const suffix = randomBytes(4).toString("hex");
  const aliases = scenario.clusters ?? ["prod-eu"];
  const clusterOf = (alias: string) => `${alias}-${suffix}`;
  const classOf = (name: string) => `${name}-${suffix}`;
  const rename = (text: string) => [...aliases, ...(scenario.classes ?? []).map((c) => c.name)]
    .reduce((out, name) => out.replaceAll(name, aliases.includes(name) ? clusterOf(name) : classOf(name)), text);
  vi.useFakeTimers({ toFake: ["Date"] });
  try {
    const events: Event[] = [];
    const pending: Pending[] = [];
    const firstMinute = Math.min(0, ...(scenario.streams ?? []).map((s) => s.from), ...scenario.steps.map((s) => s.at));
    vi.setSystemTime(at(firstMinute - 1));

    const ingestTokens = new Map<string, string>();
    for (const alias of aliases) ingestTokens.set(alias, await tokenFor("ingest", clusterOf(alias)));
    const writeToken = await tokenFor("write", null);
    for (const c of scenario.classes ?? []) await createNamespaceClass({ name: classOf(c.name), patterns: c.patterns });
    const rolloutClusters = (scenario.rollout.clusters ?? aliases).map(clusterOf);
    const created = await postRollout(jsonRequest("/api/v1/rollouts", writeToken, {
      name: `${scenario.name} ${suffix}`,
      policies: scenario.rollout.policies ?? [],
      clusters: rolloutClusters,
      budget: { maxNewPaths: 0, ...scenario.rollout.budget },
      ...(scenario.rollout.baselineMinutes ? { baselineMinutes: scenario.rollout.baselineMinutes } : {}),
      ...(scenario.rollout.soakMinutes ? { soakMinutes: scenario.rollout.soakMinutes } : {}),
      ...(scenario.rollout.enforcementGraceMinutes ? { enforcementGraceMinutes: scenario.rollout.enforcementGraceMinutes } : {}),
      ...(scenario.rollout.errorBudget
        ? {
            errorQuery: scenario.rollout.errorBudget.query,
            prometheusUrl: scenario.rollout.errorBudget.prometheus === "test" ? options.prometheusUrl : options.downUrl,
          }
        : {}),
    }));
    if (created.status !== 201) throw new Error(`creating the rollout: ${created.status} ${await created.text()}`);
    const rolloutId = ((await created.json()) as { id: string }).id;
    const params = { params: Promise.resolve({ id: rolloutId }) };

    for (const stream of scenario.streams ?? []) {
      const { src, dst } = parsePath(stream.path);
      const alias = stream.cluster ?? aliases[0] ?? "prod-eu";
      for (let minute = stream.from; minute < stream.to; minute++) {
        const time = at(minute).getTime() + 5_000;
        const cycle = stream.pattern;
        const count = cycle ? (cycle[((minute % cycle.length) + cycle.length) % cycle.length] ?? 0) : (stream.perMinute ?? 1);
        if (count === 0) continue;
        pending.push({
          time,
          cluster: alias,
          line: JSON.stringify({
            format: "native", time: new Date(time).toISOString(), cluster: clusterOf(alias), verdict: stream.verdict ?? "DROPPED",
            direction: stream.direction ?? "INGRESS", srcNamespace: src[0], srcWorkload: src[1], dstNamespace: dst[0], dstWorkload: dst[1],
            dstPort: stream.port ?? 8080, protocol: "TCP", reason: stream.reason ?? "POLICY_DENIED", policies: stream.policies ?? [],
            count, key: `${stream.path}|${stream.verdict ?? "DROPPED"}|${stream.reason ?? ""}|${minute}`,
          }),
        });
      }
    }
    for (const batch of scenario.records ?? []) {
      const alias = batch.cluster ?? aliases[0] ?? "prod-eu";
      for (const record of batch.lines((m) => at(m).toISOString(), clusterOf)) {
        pending.push({ time: at(batch.at).getTime(), cluster: alias, line: JSON.stringify(record) });
      }
    }
    pending.sort((a, b) => a.time - b.time);

    /** Sends every record older than `before`, per cluster, each batch at its newest record's time. */
    const flush = async (before: number) => {
      while (pending.length > 0 && (pending[0] as Pending).time < before) {
        const cluster = (pending[0] as Pending).cluster;
        const batch: Pending[] = [];
        while (pending.length > 0 && (pending[0] as Pending).time < before && (pending[0] as Pending).cluster === cluster && batch.length < 5_000) {
          batch.push(pending.shift() as Pending);
        }
        const last = (batch[batch.length - 1] as Pending).time;
        vi.setSystemTime(new Date(Math.min(last + 1_000, before)));
        const response = await postIngest(new Request("http://localhost/api/v1/ingest", {
          method: "POST",
          headers: { "content-type": "application/x-ndjson", authorization: `Bearer ${ingestTokens.get(cluster)}` },
          body: batch.map((p) => p.line).join("\n"),
        }));
        const reply = (await response.json()) as { rejected?: unknown[] };
        if (response.status !== 200 || (reply.rejected ?? []).length > 0) throw new Error(`ingest at ${new Date(last).toISOString()}: ${response.status} ${JSON.stringify(reply)}`);
      }
    };

    for (const beat of scenario.heartbeats ?? []) {
      for (let minute = beat.from; minute < beat.to; minute += beat.every) {
        events.push({
          time: at(minute).getTime(),
          run: async () => {
            const response = await postHeartbeat(jsonRequest("/api/v1/heartbeat", ingestTokens.get(beat.cluster) ?? "", {}));
            if (response.status !== 200) throw new Error(`heartbeat: ${response.status} ${await response.text()}`);
          },
        });
      }
    }
    for (const step of scenario.steps) {
      const where = `${scenario.name}, minute ${step.at}`;
      events.push({ time: at(step.at).getTime(), run: () => runStep(step, where) });
    }
    // Steps at the same moment keep their order; heartbeats before steps.
    events.sort((a, b) => a.time - b.time);

    async function runStep(step: Step, where: string): Promise<void> {
      if ("transition" in step) {
        const t = step.transition;
        const response = await postStage(jsonRequest(`/api/v1/rollouts/${rolloutId}/stages`, writeToken, {
          stage: t.stage, namespaces: t.namespaces ?? [], classes: (t.classes ?? []).map(classOf), ...(t.override ? { override: t.override } : {}),
        }), params);
        const body = (await response.json()) as { error?: { message: string } };
        if (response.status !== (step.status ?? 201)) throw new Error(`${where}: ${t.stage} answered ${response.status} ${JSON.stringify(body)}`);
        if (step.error && !body.error?.message.includes(rename(step.error))) throw new Error(`${where}: expected "${step.error}" in ${JSON.stringify(body)}`);
      } else if ("editClass" in step) {
        await updateNamespaceClass(classOf(step.editClass.name), { patterns: step.editClass.patterns });
      } else if ("acknowledge" in step) {
        const health = await readHealth();
        const path = [...health.surprises, ...health.expected, ...health.otherPolicies].find((p) => label(p) === step.acknowledge.path);
        if (!path) throw new Error(`${where}: no path "${step.acknowledge.path}" to acknowledge`);
        const a = step.acknowledge;
        const response = await postAcknowledgement(jsonRequest("/api/v1/acknowledgements", writeToken, {
          cluster: path.cluster, pathId: path.id, reason: a.reason, ...(a.owner ? { owner: a.owner } : {}),
          ...(a.expiresInMinutes ? { expiresAt: new Date(Date.now() + a.expiresInMinutes * MINUTE_MS).toISOString() } : {}),
          ...(a.rolloutOnly ? { rolloutId } : {}),
        }));
        if (response.status >= 300) throw new Error(`${where}: acknowledging answered ${response.status}`);
      } else if ("evaluate" in step) {
        await evaluateRollouts(new Date(), [rolloutId]);
      } else {
        const health = await readHealth(step.stage);
        const expectation: Expectation = {
          ...step.expect,
          reasons: step.expect.reasons?.map(rename),
          reasonsAre: step.expect.reasonsAre?.map(rename),
        };
        check(health, expectation, where);
      }
    }

    async function readHealth(stage?: number): Promise<RolloutHealth> {
      const response = await getHealth(new Request(`http://localhost/api/v1/rollouts/${rolloutId}/health${stage ? `?stage=${stage}` : ""}`), params);
      if (response.status !== 200) throw new Error(`health: ${response.status} ${await response.text()}`);
      return (await response.json()) as RolloutHealth;
    }

    for (const event of events) {
      await flush(event.time);
      vi.setSystemTime(new Date(event.time));
      await event.run();
    }
  } finally {
    vi.useRealTimers();
  }
}

function jsonRequest(path: string, token: string, body: unknown): Request {
  return new Request(`http://localhost${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
}

export { label as pathLabel };
