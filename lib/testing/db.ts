// Test helpers for integration tests on the run's real PostgreSQL (npm test provides DATABASE_URL).
import { randomBytes } from "node:crypto";
import type { TokenScope } from "../db/generated/enums";
import { getDropSeries } from "../queries/drops/getDropSeries";
import { createToken } from "../tokens/manageTokens";

/** A cluster name no other test uses, so tests running side by side never see each other's drops. */
export function uniqueCluster(prefix = "t"): string {
  return `${prefix}-${randomBytes(5).toString("hex")}`;
}

export async function tokenFor(scope: TokenScope, cluster: string | null): Promise<string> {
  return (await createToken({ name: `test ${scope}`, scope, cluster })).secret;
}

/** Drops stored for a cluster in the last day, as the series API counts them. */
export async function storedDropCount(cluster: string): Promise<number> {
  const series = await getDropSeries({
    from: new Date(Date.now() - 86_400_000),
    to: new Date(Date.now() + 60_000),
    step: "5m",
    groupBy: "namespace",
    limit: 50,
    cluster: [cluster],
  });
  return series.total;
}
