import { describe, expect, it } from "vitest";
import { parseNative } from "./native";

describe("native format", () => {
  const record = { time: "2026-11-28T10:00:00Z", verdict: "DROPPED", direction: "INGRESS", srcNamespace: "a", dstNamespace: "b", dstPort: 80 };

  it("derives the policy namespace from the direction and hashes a key when none is given", () => {
    const outcome = parseNative(record);
    expect(outcome).toMatchObject({ kind: "drop", event: { namespace: "b", count: 1, source: "native", protocol: "UNKNOWN" } });
    const again = parseNative({ ...record });
    expect(again.kind === "drop" && outcome.kind === "drop" && again.event.key === outcome.event.key).toBe(true);
  });

  it("rejects unknown fields and out-of-range values, naming the field", () => {
    expect(parseNative({ ...record, dstPort: 70000 })).toMatchObject({ kind: "rejected", reason: expect.stringMatching(/^dstPort: /) });
    expect(parseNative({ ...record, colour: "red" })).toMatchObject({ kind: "rejected", reason: expect.stringContaining("colour") });
    expect(parseNative({ ...record, verdict: "ALLOWED" })).toMatchObject({ kind: "rejected", reason: expect.stringMatching(/^verdict: /) });
  });
});
