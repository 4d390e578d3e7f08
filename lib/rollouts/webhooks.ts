// Verdict changes, announced: every active rollout's current stage is judged on a timer; when the
// verdict changes, the new one is recorded and, if the rollout has a webhook, a message is queued
// (Slack-compatible `text` plus the figures) and delivered with retries. Deliveries and their
// failures are rows, shown on the rollout page. One evaluator at a time across replicas.
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { getPool } from "../db/pool";
import { getPrisma } from "../db/prisma";
import { recordWebhookAttempt } from "../metrics/server";
import { listRollouts, type RolloutView } from "../queries/rollouts/getRollout";
import { getRolloutHealth, type RolloutHealth } from "../queries/rollouts/getRolloutHealth";
import { startBackgroundLoop } from "../system/processes";
import { newId } from "./manage";
import { describeScope } from "./scope";
import { MIN_STAGE_MINUTES, type HealthVerdict } from "./verdict";
import { checkedAddresses, lookupFrom, WebhookTargetRefused } from "./webhookTarget";

const EVALUATOR_LOCK = 72707370;
export const MAX_DELIVERY_ATTEMPTS = 6;
const RETRY_BASE_MS = 30_000;
/** One delivery attempt, connection to last header, may take this long. */
export const DELIVERY_TIMEOUT_MS = 10_000;

const ICONS: Record<HealthVerdict, string> = { HEALTHY: "✅", AT_RISK: "⚠️", BREACHED: "🚨", INSUFFICIENT_DATA: "⏳", NOT_ENFORCED: "🎭" };

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

export interface DeliveryOutcome {
  /** The HTTP status the target answered; null when it answered none. */
  status: number | null;
  /**
   * Null when delivered; else what readers are shown: a status ("HTTP 500", "timeout after 10 s",
   * "refused: private address", "connection refused"), never the target's reply or a raw error.
   */
  error: string | null;
}

/** Network errors as a short status a reader may see (which says nothing about the target's contents). */
function describeFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof WebhookTargetRefused) return error.status;
  if (error instanceof Error && error.message.startsWith("DROPBOARD_WEBHOOK_ALLOW")) {
    console.error(`[webhooks] ${error.message}`);
    return "not sent: DROPBOARD_WEBHOOK_ALLOW is invalid (the server log says why)";
  }
  const code = (error as { code?: string; name?: string } | null)?.code;
  const name = (error as { name?: string } | null)?.name;
  if (name === "AbortError" || name === "TimeoutError" || code === "ABORT_ERR") return `timeout after ${timeoutMs / 1000} s`;
  if (code === "ECONNREFUSED") return "connection refused";
  if (code === "ECONNRESET" || code === "EPIPE") return "connection reset";
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return "host not found";
  if (code === "EHOSTUNREACH" || code === "ENETUNREACH") return "host unreachable";
  if (typeof code === "string" && (code.startsWith("ERR_TLS") || code.includes("CERT") || code.startsWith("ERR_SSL"))) return "TLS error";
  return "connection failed";
}

/**
 * POSTs one message: the host is resolved and checked (webhookTarget.ts) at every attempt, the
 * connection goes to the checked addresses, redirects are not followed, the reply's body is never
 * read, and the whole attempt ends after `timeoutMs`.
 */
export async function postWebhook(target: string, payload: unknown, timeoutMs = DELIVERY_TIMEOUT_MS): Promise<DeliveryOutcome> {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const url = new URL(target);
    if (url.protocol !== "http:" && url.protocol !== "https:") return { status: null, error: "refused: not an http(s) URL" };
    const addresses = await Promise.race([
      checkedAddresses(url),
      new Promise<never>((_, reject) => signal.addEventListener("abort", () => reject(signal.reason), { once: true })),
    ]);
    const body = JSON.stringify(payload);
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      const request = (url.protocol === "https:" ? httpsRequest : httpRequest)(url, {
        method: "POST",
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), "user-agent": "dropboard-webhook" },
        signal,
        ...(addresses === "any" ? {} : { lookup: lookupFrom(addresses) }),
      });
      request.on("response", resolve);
      request.on("error", reject);
      request.end(body);
    });
    // The status is all that is kept: the body is not read (nor shown to anyone).
    response.destroy();
    const status = response.statusCode ?? null;
    if (status !== null && status >= 200 && status < 300) return { status, error: null };
    return { status, error: status !== null && status >= 300 && status < 400 ? `HTTP ${status} (redirects are not followed)` : `HTTP ${status ?? "?"}` };
  } catch (error) {
    return { status: null, error: describeFailure(signal.aborted ? signal.reason : error, timeoutMs) };
  }
}

/**
 * Sends queued messages that are due; failures are retried with backoff, then given up (and
 * shown). Rollouts are served in parallel (each attempt bounded by `timeoutMs`), so one hanging
 * target cannot hold up the others; one rollout's messages go in the order they were queued.
 */
export async function deliverDueWebhooks(now: Date, only?: readonly string[], timeoutMs = DELIVERY_TIMEOUT_MS): Promise<number> {
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
  const byRollout = new Map<string, typeof due>();
  for (const delivery of due) byRollout.set(delivery.rolloutId, [...(byRollout.get(delivery.rolloutId) ?? []), delivery]);
  let delivered = 0;
  const deliverOne = async (delivery: (typeof due)[number]) => {
    const target = delivery.rollout.webhookUrl;
    const attempts = delivery.attempts + 1;
    const { status, error } = target ? await postWebhook(target, delivery.payload, timeoutMs) : { status: null, error: "the rollout no longer has a webhook URL" };
    const done = error === null;
    if (done) delivered++;
    const exhausted = !done && (attempts >= MAX_DELIVERY_ATTEMPTS || !target);
    recordWebhookAttempt(error, exhausted);
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
  };
  const results = await Promise.allSettled(
    [...byRollout.values()].map(async (deliveries) => {
      for (const delivery of deliveries) await deliverOne(delivery);
    }),
  );
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
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

