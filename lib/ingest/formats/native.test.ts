import { describe, expect, it } from "vitest";
import { drop } from "../../testing/formats";
import { parseNative } from "./native";

describe("native format", () => {
  const record = { time: "2026-11-28T10:00:00Z", verdict: "DROPPED", direction: "INGRESS", srcNamespace: "a", dstNamespace: "b", dstPort: 80 };

  it("derives the policy namespace from the direction and hashes a key when none is given", () => {
    const outcome = parseNative(record);
    expect(outcome).toMatchObject({ kind: "drop", event: { namespace: "b", count: 1, source: "native", protocol: "UNKNOWN" } });
    const again = parseNative({ ...record });
    expect(again.kind === "drop" && outcome.kind === "drop" && again.event.key === outcome.event.key).toBe(true);
  });

  it("keys a record without its own key by every field it gives, lists as sets and the time as an instant", () => {
    const key = (r: Record<string, unknown>) => drop(parseNative(r)).key;
    const base = key(record);
    for (const differing of [
      { srcWorkload: "Deployment/a" }, { dstWorkload: "Deployment/b" }, { srcLabels: ["app=a"] }, { dstLabels: ["app=b"] },
      { srcIdentity: 7 }, { dstIdentity: 8 }, { policies: ["b/deny"] }, { sampleRate: 5 }, { count: 2 },
    ]) {
      expect(key({ ...record, ...differing }), JSON.stringify(differing)).not.toBe(base);
    }
    expect(key({ ...record, srcLabels: ["a=1", "b=2"] })).toBe(key({ ...record, srcLabels: ["b=2", "a=1"] }));
    expect(key({ ...record, time: "2026-11-28T10:00:00.000Z" })).toBe(base);
    expect(key({ ...record, key: "mine" })).toBe("native:mine");
  });

  it("rejects unknown fields and out-of-range values, naming the field", () => {
    expect(parseNative({ ...record, dstPort: 70000 })).toMatchObject({ kind: "rejected", reason: expect.stringMatching(/^dstPort: /) });
    expect(parseNative({ ...record, colour: "red" })).toMatchObject({ kind: "rejected", reason: expect.stringContaining("colour") });
    expect(parseNative({ ...record, verdict: "ALLOWED" })).toMatchObject({ kind: "rejected", reason: expect.stringMatching(/^verdict: /) });
  });
});
