// Next.js runs register() once when a server starts: the rollup compactor, retention (old raw
// partitions and rollups) and the rollout evaluator (verdict changes, webhooks) run beside it.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  if (process.env.DROPBOARD_COMPACTOR !== "off") {
    const { startCompactor } = await import("./lib/ingest/compact");
    startCompactor(Number(process.env.DROPBOARD_COMPACT_INTERVAL_MS ?? 2_000));
  }
  if (process.env.DROPBOARD_RETENTION !== "off") {
    const { startRetention } = await import("./lib/ingest/retention");
    startRetention();
  }
  if (process.env.DROPBOARD_ROLLOUT_EVALUATOR !== "off") {
    const { startRolloutEvaluator } = await import("./lib/rollouts/webhooks");
    startRolloutEvaluator(Number(process.env.DROPBOARD_ROLLOUT_EVALUATE_MS ?? 30_000));
  }
}
