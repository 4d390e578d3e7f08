// Verdict changes, announced: every active rollout's current stage is judged on a timer; when the
// verdict changes, the new one is recorded and, if the rollout has a webhook, a message is queued
// (Slack-compatible `text` plus the figures) and delivered with retries. Deliveries and their
// failures are rows, shown on the rollout page. One evaluator at a time across replicas.
import { getPool } from "../db/pool";
import { getPrisma } from "../db/prisma";
import { listRollouts, type RolloutView } from "../queries/rollouts/getRollout";
import { getRolloutHealth, type RolloutHealth } from "../queries/rollouts/getRolloutHealth";
import { startBackgroundLoop } from "../system/processes";
import { newId } from "./manage";
import { describeScope } from "./scope";
import { MIN_STAGE_MINUTES, type HealthVerdict } from "./verdict";

const EVALUATOR_LOCK = 72707370;
export const MAX_DELIVERY_ATTEMPTS = 6;
const RETRY_BASE_MS = 30_000;
const DELIVERY_TIMEOUT_MS = 10_000;

const ICONS: Record<HealthVerdict, string> = { HEALTHY: "✅", AT_RISK: "⚠️", BREACHED: "🚨", INSUFFICIENT_DATA: "⏳" };

export function publicUrl(): string {
  return (process.env.DROPBOARD_PUBLIC_URL ?? `http://localhost:${process.env.PORT ?? 3000}`).replace(/\/+$/, "");
}

export interface VerdictMessage {
  text: string;
  rollout: { id: string; name: string; url: string };
  stage: RolloutHealth["stage"];
  verdict: HealthVerdict;
  previousVerdict: HealthVerdict | null;
  reasons: string[];
  figures: RolloutHealth["figures"];
  surprises: { cluster: string; id: string; path: string; dropped: number }[];
}

export function verdictMessage(rollout: RolloutView, health: RolloutHealth, previous: HealthVerdict | null): VerdictMessage {
  const url = `${publicUrl()}/rollouts/${rollout.id}`;
  const stage = health.stage;
  const where = stage ? `${stage.stage} on ${describeScope(stage)}` : "no stage";
  const text =
    `${ICONS[health.verdict]} Rollout "${rollout.name}" (${where}): ${previous ? `${previous} → ` : ""}${health.verdict}. ` +
    `${health.reasons.join("; ")}. ${url}`;
  return {
    text,
    rollout: { id: rollout.id, name: rollout.name, url },
    stage,
    verdict: health.verdict,
    previousVerdict: previous,
    reasons: health.reasons,
    figures: health.figures,
    surprises: health.surprises.slice(0, 20).map((p) => ({
      cluster: p.cluster,
      id: p.id,
      path: `${p.srcNamespace ?? "?"}/${p.srcWorkload ?? "?"} → ${p.dstNamespace ?? "?"}/${p.dstWorkload ?? "?"}:${p.dstPort ?? "-"}/${p.protocol}`,
      dropped: p.dropped,
    })),
  };
}

/** Judges every active rollout; records changed verdicts and queues their webhook messages. */
export async function evaluateRollouts(now: Date, only?: readonly string[]): Promise<number> {
  let changed = 0;
  for (const rollout of await listRollouts(only)) {
    const stage = rollout.currentStage;
    // A complete rollout's verdict is final: no more judging, no more messages.
    if (!stage || stage.stage === "ROLLED_BACK" || rollout.completedAt !== null) continue;
    const health = await getRolloutHealth(rollout, now);
    const completes = health.state === "COMPLETE";
    if (health.verdict === rollout.lastVerdict && !completes) continue;
    // Conditional: a replica that raced us to the same change records and announces it once.
    const { count } = await getPrisma().rollout.updateMany({
      where: { id: rollout.id, lastVerdict: rollout.lastVerdict, completedAt: null },
      data: { lastVerdict: health.verdict, ...(completes ? { completedAt: new Date(health.completedAt ?? now) } : {}) },
    });
    if (count === 0) continue;
    changed++;
    // "Not enough data yet" is not news on a first judgement or in a stage's first minutes (every
    // transition starts so); later it is: drops stopped arriving.
    const young = (health.figures?.stageMinutes ?? 0) < MIN_STAGE_MINUTES;
    const announce = rollout.webhookUrl && !(health.verdict === "INSUFFICIENT_DATA" && (rollout.lastVerdict === null || young));
    if (announce) {
      await getPrisma().webhookDelivery.create({
        data: {
          id: newId(),
          rolloutId: rollout.id,
          verdict: health.verdict,
          payload: JSON.parse(JSON.stringify(verdictMessage(rollout, health, rollout.lastVerdict))),
          nextAttemptAt: now,
        },
      });
    }
  }
  return changed;
}

/** Sends queued messages that are due; failures are retried with backoff, then given up (and shown). */
export async function deliverDueWebhooks(now: Date, only?: readonly string[]): Promise<number> {
  const due = await getPrisma().webhookDelivery.findMany({
    where: {
      deliveredAt: null,
      nextAttemptAt: { lte: now },
      attempts: { lt: MAX_DELIVERY_ATTEMPTS },
      ...(only ? { rolloutId: { in: [...only] } } : {}),
    },
    include: { rollout: { select: { webhookUrl: true } } },
    orderBy: { createdAt: "asc" },
    take: 50,
  });
  let delivered = 0;
  for (const delivery of due) {
    const target = delivery.rollout.webhookUrl;
    const attempts = delivery.attempts + 1;
    let status: number | null = null;
    let error: string | null = null;
    if (!target) {
      error = "the rollout no longer has a webhook URL";
    } else {
      try {
        const response = await fetch(target, {
          method: "POST",
          headers: { "content-type": "application/json", "user-agent": "dropboard-webhook" },
          body: JSON.stringify(delivery.payload),
          signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
          redirect: "manual",
        });
        status = response.status;
        if (!response.ok) error = `HTTP ${response.status}: ${(await response.text().catch(() => "")).slice(0, 200)}`;
      } catch (cause) {
        error = cause instanceof Error ? ((cause.cause as Error | undefined)?.message ?? cause.message) : String(cause);
      }
    }
    const done = error === null;
    if (done) delivered++;
    const exhausted = !done && (attempts >= MAX_DELIVERY_ATTEMPTS || !target);
    await getPrisma().webhookDelivery.update({
      where: { id: delivery.id },
      data: {
        attempts,
        lastStatus: status,
        lastError: error?.slice(0, 2000) ?? null,
        deliveredAt: done ? now : null,
        nextAttemptAt: done || exhausted ? null : new Date(now.getTime() + RETRY_BASE_MS * 2 ** (attempts - 1)),
      },
    });
  }
  return delivered;
}

/** One evaluation and delivery round, skipped when another replica holds the lock. */
export async function runRolloutRound(now: Date): Promise<void> {
  const client = await getPool().connect();
  try {
    const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1) AS locked", [EVALUATOR_LOCK]);
    if (!rows[0]?.locked) return;
    try {
      await evaluateRollouts(now);
      await deliverDueWebhooks(now);
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [EVALUATOR_LOCK]);
    }
  } finally {
    client.release();
  }
}

export function startRolloutEvaluator(intervalMs = 30_000): { stop(): void } {
  // A first round soon after start, so a freshly started server lists verdicts at once.
  return startBackgroundLoop("rollouts", intervalMs, () => runRolloutRound(new Date()), Math.min(intervalMs, 3_000));
}

