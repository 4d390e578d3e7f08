// Next.js runs register() once when a server starts: the rollup compactor runs beside it.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.DROPBOARD_COMPACTOR === "off") return;
  const { startCompactor } = await import("./lib/ingest/compact");
  startCompactor(Number(process.env.DROPBOARD_COMPACT_INTERVAL_MS ?? 2_000));
}
