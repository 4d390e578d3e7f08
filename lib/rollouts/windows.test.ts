import { describe, expect, it } from "vitest";
import { stageWindows, wholeMinutes } from "./windows";

const T = (hhmm: string) => `2026-11-30T${hhmm}Z`;
const settings = { baselineMinutes: null, soakMinutes: null, dataSince: new Date(T("00:00:00")) };

describe("stageWindows", () => {
  it("anchors the baseline at the first enforcing transition, through a rollback and a retry", () => {
    const transitions = [
      { stage: "OBSERVE" as const, at: T("09:00:00") },
      { stage: "CANARY" as const, at: T("10:00:20") },
      { stage: "ROLLED_BACK" as const, at: T("10:10:00") },
      { stage: "CANARY" as const, at: T("10:12:00") },
    ];
    const retry = stageWindows(transitions, 3, new Date(T("10:17:30")), settings);
    expect(retry.anchor.toISOString()).toBe("2026-11-30T10:00:00.000Z");
    // 24 h back, but no earlier than the first data (midnight): 600 minutes actually read.
    expect(retry.baseline).toEqual({ from: new Date(T("00:00:00")), to: new Date(T("10:00:00")) });
    expect(retry.start.toISOString()).toBe("2026-11-30T10:12:00.000Z");
    expect(wholeMinutes(retry.rate)).toBe(5);
    expect(retry.now).toEqual(retry.rate);
    expect(retry.frozen).toBe(false);
  });

  it("reads drops/min now over the last 15 whole minutes, and freezes a past stage at the next transition", () => {
    const transitions = [
      { stage: "CANARY" as const, at: T("10:00:00") },
      { stage: "EXPAND" as const, at: T("11:00:40") },
    ];
    const canary = stageWindows(transitions, 0, new Date(T("12:00:00")), settings);
    expect(canary.now).toEqual({ from: new Date(T("10:45:00")), to: new Date(T("11:00:00")) });
    expect(canary.frozen).toBe(true);
    expect(canary.end.toISOString()).toBe("2026-11-30T11:00:40.000Z");
    const expand = stageWindows(transitions, 1, new Date(T("12:00:00")), settings);
    expect(expand.anchor.toISOString()).toBe("2026-11-30T10:00:00.000Z");
    expect(expand.start.toISOString()).toBe("2026-11-30T11:00:00.000Z");
  });

  it("stops ENFORCED at the end of its soak", () => {
    const transitions = [{ stage: "ENFORCED" as const, at: T("10:00:00") }];
    const w = stageWindows(transitions, 0, new Date("2026-12-02T10:00:00Z"), { ...settings, soakMinutes: 60 });
    expect(w.soakEnd?.toISOString()).toBe("2026-11-30T11:00:00.000Z");
    expect(w.end).toEqual(w.soakEnd);
    expect(w.frozen).toBe(true);
    expect(w.stageMinutes).toBe(60);
  });

  it("has an empty baseline when there was no data before the rollout", () => {
    const w = stageWindows([{ stage: "CANARY", at: T("10:00:00") }], 0, new Date(T("10:30:00")), { ...settings, dataSince: new Date(T("10:05:00")) });
    expect(wholeMinutes(w.baseline)).toBe(0);
  });
});
