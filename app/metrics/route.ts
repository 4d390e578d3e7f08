// GET /metrics: the server's metrics in Prometheus' text format (README, "Metrics"). The database
// gauges (pending counts, rollout verdicts, cluster check-ins) are read at scrape time.
import { exposition } from "@/lib/metrics/registry";
import { refreshDatabaseGauges, registerServerMetrics } from "@/lib/metrics/server";

export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  registerServerMetrics();
  await refreshDatabaseGauges();
  const { body, contentType } = await exposition();
  return new Response(body, { headers: { "content-type": contentType, "cache-control": "no-store" } });
}
