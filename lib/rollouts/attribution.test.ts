import { describe, expect, it } from "vitest";
import { attributePath, describeAttribution, policyMatches } from "./attribution";

describe("policyMatches", () => {
  it("matches a bare name in any namespace and Calico tier, staged or not", () => {
    expect(policyMatches("default-deny", "default-deny")).toBe(true);
    expect(policyMatches("default-deny", "team-a/default-deny")).toBe(true);
    expect(policyMatches("default-deny", "team-a/security.default-deny")).toBe(true);
    expect(policyMatches("default-deny", "team-a/staged:default-deny")).toBe(true);
    expect(policyMatches("team-a/default-deny", "team-a/default-deny")).toBe(true);
    expect(policyMatches("team-a/default-deny", "team-a/staged:default-deny")).toBe(true);
  });

  it("does not match another policy, another namespace when one is named, or a name that only contains it", () => {
    expect(policyMatches("default-deny", "team-a/default-deny-egress")).toBe(false);
    expect(policyMatches("default-deny", "team-a/not-default-deny")).toBe(false);
    expect(policyMatches("team-a/default-deny", "team-b/default-deny")).toBe(false);
    expect(policyMatches("deny", "legacy/block-scanner")).toBe(false);
  });
});

describe("attributePath", () => {
  it("a path naming no policy is a default deny; naming the rollout's is the rollout's; naming only others is other policies", () => {
    expect(attributePath([], ["default-deny"])).toBe("default-deny");
    expect(attributePath(["shop/default-deny"], ["default-deny"])).toBe("rollout-policy");
    expect(attributePath(["shop/legacy-block", "shop/default-deny"], ["default-deny"])).toBe("rollout-policy");
    expect(attributePath(["shop/legacy-block"], ["default-deny"])).toBe("other-policies");
  });

  it("a rollout that names no policies claims every named policy drop in scope", () => {
    expect(attributePath(["shop/legacy-block"], [])).toBe("rollout-policy");
  });

  it("says which policy a default deny most likely is", () => {
    expect(describeAttribution("default-deny", { name: "tier-2 default deny", policies: ["default-deny"] })).toBe(
      "default deny — likely `default-deny` (rollout `tier-2 default deny`)",
    );
  });
});
