import { describe, expect, it } from "vitest";
import { inClass, inScope } from "./scope";

describe("namespace classes and scope", () => {
  it("matches globs, excludes with !, and an exclude-only class is everything else", () => {
    expect(inClass("team-a", ["team-*"])).toBe(true);
    expect(inClass("teams", ["team-*"])).toBe(false);
    expect(inClass("kube-system", ["!kube-*"])).toBe(false);
    expect(inClass("payments", ["!kube-*"])).toBe(true);
    expect(inClass("team-a", ["team-*", "!team-a"])).toBe(false);
    expect(inClass("team.b", ["team?b"])).toBe(true);
  });

  it("scope is the union of namespaces and classes; empty is every namespace", () => {
    const scope = { namespaces: ["payments"], classes: [{ name: "tier2", patterns: ["team-*"] }] };
    expect(inScope("payments", scope)).toBe(true);
    expect(inScope("team-x", scope)).toBe(true);
    expect(inScope("web", scope)).toBe(false);
    expect(inScope("anything", { namespaces: [], classes: [] })).toBe(true);
  });
});
