// The allow-rule viewer's pure helpers: formats offered (the CNI's own first), broader rules only
// as offered or chosen, and the summary line.
import { describe, expect, it } from "vitest";
import type { FormatOffer } from "@/lib/fixes/respond";
import type { PathFix } from "@/lib/fixes/generate";
import type { KubeObject } from "@/lib/fixes/types";
import { nothingToAllow, offeredFormats, scopeChoices, summary, toggleScope, unwritten } from "./allowText";
import { allowPath, fixKeys } from "./useAllowRule";

const offer = (format: FormatOffer["format"], available: boolean, recommended = false): FormatOffer => ({
  format, apiVersion: "v", kind: "NetworkPolicy", available, recommended, note: "",
});
const object = (kind: string, apiVersion: string): KubeObject => ({ apiVersion, kind, metadata: { name: "n", namespace: "ns" }, spec: {} });
const path = (status: PathFix["status"]): PathFix => ({ cluster: "c", id: "1", flow: "a -> b", direction: "INGRESS", sources: ["hubble"], status, objects: [], warnings: [] });

describe("offeredFormats", () => {
  it("offers only what the drops' CNIs enforce, the recommended one first", () => {
    const formats = [offer("kubernetes", true), offer("cilium", true, true), offer("calico", false), offer("antrea", false)];
    expect(offeredFormats(formats).map((f) => f.format)).toEqual(["cilium", "kubernetes"]);
  });
});

describe("scope choices", () => {
  it("offers the suggested broader rules and keeps chosen ones to take back, never others", () => {
    expect(scopeChoices({ suggestedScopes: [], scope: [] })).toEqual([]);
    expect(scopeChoices({ suggestedScopes: ["ip"], scope: [] })).toEqual(["ip"]);
    expect(scopeChoices({ suggestedScopes: ["ip"], scope: ["namespace"] })).toEqual(["namespace", "ip"]);
  });
  it("toggles one scope, in a stable order", () => {
    expect(toggleScope(["ip"], "namespace", true)).toEqual(["namespace", "ip"]);
    expect(toggleScope(["namespace", "ip"], "namespace", false)).toEqual(["ip"]);
  });
});

describe("summary", () => {
  it("counts the objects by kind, the paths and the clusters", () => {
    const reply = { objects: [object("CiliumNetworkPolicy", "cilium.io/v2"), object("CiliumNetworkPolicy", "cilium.io/v2")], paths: [path("generated"), path("partial")], clusters: ["demo-eu"] };
    expect(summary(reply)).toBe("2 CiliumNetworkPolicy (cilium.io/v2) for 2 drop paths · cluster demo-eu");
    expect(unwritten(reply)).toEqual({ partial: 1, none: 0 });
  });
});

describe("nothingToAllow", () => {
  it("is true for a stage without surprises", () => {
    expect(nothingToAllow({ paths: [], warnings: [{ code: "no_surprises", message: "nothing" }] })).toBe(true);
    expect(nothingToAllow({ paths: [path("none")], warnings: [] })).toBe(false);
  });
});

describe("the allow endpoints' addresses and keys", () => {
  it("escapes the cluster and keeps every choice in the key", () => {
    expect(allowPath({ kind: "path", cluster: "prod/eu", id: "42" })).toBe("/api/v1/drops/paths/prod%2Feu/42/allow");
    expect(allowPath({ kind: "rollout", id: "r1" })).toBe("/api/v1/rollouts/r1/allow");
    const target = { kind: "rollout", id: "r1" } as const;
    expect(fixKeys.allow(target, { format: null, scope: ["ip", "namespace"] })).toEqual(fixKeys.allow(target, { format: null, scope: ["namespace", "ip"] }));
    expect(fixKeys.allow(target, { format: "cilium", scope: [] })).not.toEqual(fixKeys.allow(target, { format: null, scope: [] }));
  });
});
