// Found by ingest.fuzz.test.ts: an NDJSON batch whose first line is a JSON array is read as one JSON
// array body; that fails to parse, and the whole batch is refused (400) with its good records, which
// the collector then drops ("refused whole"). A bad first line must be rejected on its line like any
// other, and the records behind it stored. (lib/ingest/records.ts splitRecords: a body that starts
// with "[" but is not one JSON array should be read as NDJSON.)
import { describe, expect, it } from "vitest";
import { storedDropCount, tokenFor, uniqueCluster } from "@/lib/testing/db";
import { ingestRequest } from "@/lib/testing/ingestRequest";
import { POST } from "./route";

const native = (cluster: string, key: string) =>
  JSON.stringify({ format: "native", time: new Date(Date.now() - 600_000).toISOString(), cluster, verdict: "DROPPED", dstNamespace: "web", key });

describe("an NDJSON batch whose first line is a JSON array", () => {
  it.each(["[1,2]", "[]", "[{", '[{"format":"native"}]'])("first line %s: rejected on line 1, the records behind it stored", async (first) => {
    const cluster = uniqueCluster("array");
    const token = await tokenFor("ingest", cluster);
    const body = [first, native(cluster, "a"), native(cluster, "b")].join("\n");
    const response = await POST(ingestRequest(body, { token }));
    const reply = await response.json();
    expect(response.status, JSON.stringify(reply)).toBe(200);
    expect(reply).toMatchObject({ accepted: 2, rejectedCount: 1, rejected: [{ line: 1 }] });
    expect(await storedDropCount(cluster)).toBe(2);
  });
});
