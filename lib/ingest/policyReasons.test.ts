import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseRecord, parseTextRecord } from "./formats";
import { dropReasonName } from "./formats/hubbleDropReasons";
import { ALL_POLICY_REASONS, isPolicyReason, POLICY_REASONS } from "./policyReasons";
import { DROP_SOURCES, type DropEvent } from "./types";
import { drop, fixtureLines } from "../testing/formats";

/** Drop events from the real fixtures of one fixture directory. */
function fixtureDrops(dir: string, text = false): { file: string; event: DropEvent }[] {
  return fixtureLines(dir).flatMap(({ file, line }) => {
    const outcome = text ? parseTextRecord(line, "auto") : parseRecord(JSON.parse(line), "auto");
    return outcome.kind === "drop" ? [{ file: path.basename(file), event: outcome.event }] : [];
  });
}

// Fixtures that are policy drops, each one (fixtures/README.md says what they are).
const POLICY_FIXTURES: Record<string, { text?: boolean; files: string[] }> = {
  hubble: { files: ["exporter-dropped.jsonl", "observe-jsonpb-captured.jsonl", "observe-json-bare.json"] },
  antrea: { text: true, files: ["np.log"] },
  calico: { files: ["flows-deny.jsonl"] },
  goldmane: { files: ["whisker-flows.jsonl"] },
};
const ALL_FIXTURES = [...Object.entries(POLICY_FIXTURES).map(([dir, { text }]) => ({ dir, text: text ?? false })), { dir: "netobserv", text: false }];

const hubbleFlow = (flow: Record<string, unknown>) => ({ flow: { time: "2026-11-28T10:00:00Z", verdict: "DROPPED", ...flow } });

describe("policy reasons", () => {
  it.each(Object.entries(POLICY_FIXTURES))("every policy drop in the %s fixtures has a policy reason of its source", (dir, { text, files }) => {
    const drops = fixtureDrops(dir, text).filter(({ file }) => files.includes(file));
    expect(drops.length).toBeGreaterThan(0);
    for (const { file, event } of drops) {
      expect(POLICY_REASONS[event.source], `${dir}/${file}: ${event.reason}`).toContain(event.reason);
      expect(isPolicyReason(event.reason)).toBe(true);
    }
  });

  it("netobserv's real records are kernel drops: stored, but no policy reason", () => {
    const drops = fixtureDrops("netobserv");
    expect(drops.map(({ event }) => event.reason)).toEqual(
      expect.arrayContaining(["SKB_DROP_REASON_TCP_INVALID_SEQUENCE", "SKB_DROP_REASON_NO_SOCKET"]),
    );
    for (const { event } of drops) expect(isPolicyReason(event.reason)).toBe(false);
  });

  it.each(ALL_FIXTURES)("no fixture drop of $dir borrows another source's policy reason", ({ dir, text }) => {
    for (const { event } of fixtureDrops(dir, text)) {
      expect(isPolicyReason(event.reason)).toBe(POLICY_REASONS[event.source].includes(event.reason));
    }
  });

  it("of Cilium's drop reasons only POLICY_DENIED, POLICY_DENY and AUTH_REQUIRED are policy reasons", () => {
    const policy = Array.from({ length: 256 }, (_, code) => dropReasonName(code)).filter(isPolicyReason);
    expect(policy.sort()).toEqual(["AUTH_REQUIRED", "POLICY_DENIED", "POLICY_DENY"]);
  });

  it("Hubble's own names: L7 proxy denials and audit-mode drops without a reason count", () => {
    const l7 = drop(parseRecord(hubbleFlow({ Type: "L7", l7: { type: "REQUEST", http: { method: "GET" } } }), "hubble"));
    const audit = drop(parseRecord(hubbleFlow({ verdict: "AUDIT" }), "hubble"));
    const conntrack = drop(parseRecord(hubbleFlow({ drop_reason_desc: "CT_MAP_INSERTION_FAILED" }), "hubble"));
    expect([l7.reason, audit.reason, conntrack.reason]).toEqual(["L7_POLICY_DENIED", "POLICY_DENIED", "CT_MAP_INSERTION_FAILED"]);
    expect([l7, audit, conntrack].map((event) => isPolicyReason(event.reason))).toEqual([true, true, false]);
  });

  it.each([
    "CT_MAP_INSERTION_FAILED",
    "STALE_OR_UNROUTABLE_IP",
    "UNSUPPORTED_L3_PROTOCOL",
    "NO_CONFIGURATION_AVAILABLE_TO_PERFORM_POLICY_DECISION",
    "DENIED_BY_LB_SRC_RANGE_CHECK",
    "DROP_EP_NOT_READY",
    "IP_FRAGMENTATION_NOT_SUPPORTED",
    "UNKNOWN",
    "DROP_REASON_250",
    "SKB_DROP_REASON_NO_SOCKET",
    "SKB_DROP_REASON_NETFILTER_DROP",
    "OVS_DROP_LAST_ACTION",
    "SKB_DROP_UNKNOWN_CAUSE",
    "NetworkEvent_UDNIsolation",
    "policy_denied",
  ])("%s is not a policy reason", (reason) => {
    expect(isPolicyReason(reason)).toBe(false);
  });

  it("every source has a list; the flat list holds each name once", () => {
    for (const source of DROP_SOURCES) expect(POLICY_REASONS[source].length).toBeGreaterThan(0);
    expect(new Set(ALL_POLICY_REASONS).size).toBe(ALL_POLICY_REASONS.length);
    expect([...ALL_POLICY_REASONS].sort()).toEqual(["AUTH_REQUIRED", "L7_POLICY_DENIED", "POLICY_DENIED", "POLICY_DENY", "deny"]);
  });

  it("native records count with the shared names, their default reason, or `deny`", () => {
    const native = (reason?: string) => ({ format: "native", time: "2026-11-28T10:00:00Z", verdict: "DROPPED", dstNamespace: "shop", ...(reason ? { reason } : {}) });
    expect(isPolicyReason(drop(parseRecord(native(), "auto")).reason)).toBe(true);
    expect(isPolicyReason(drop(parseRecord(native("deny"), "auto")).reason)).toBe(true);
    expect(isPolicyReason(drop(parseRecord(native("TTL_EXCEEDED"), "auto")).reason)).toBe(false);
  });
});
