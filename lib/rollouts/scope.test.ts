import { describe, expect, it } from "vitest";
import { inClass, inScope, matchGlob, patternProblem } from "./scope";

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

describe("matchGlob", () => {
  /** The glob as the regular expression it used to be compiled to: the reference for small inputs. */
  const reference = (glob: string, text: string) =>
    new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replaceAll("*", ".*").replaceAll("?", ".")}$`).test(text);

  it("agrees with the regular-expression reading of globs", () => {
    const globs = ["", "*", "?", "a", "a*", "*a", "a*b", "a?c", "*a*", "a**b", "team-*", "*-prod", "?*?", "a*b*c", "kube-*.x", "*.*"];
    const texts = ["", "a", "b", "ab", "abc", "aab", "acb", "team-", "team-a", "kube-a.x", "x-prod", "a.b", "aaab", "abcabc"];
    for (const glob of globs) for (const text of texts) expect(matchGlob(glob, text), `${glob} ~ ${text}`).toBe(reference(glob, text));
  });

  it("takes at most (text+1) x (glob+1) steps, even on the input that froze the regex for 22 s", () => {
    const glob = "a*a*a*a*a*a*a*a*b";
    for (const length of [60, 253]) {
      const text = "a".repeat(length);
      const steps = { count: 0 };
      expect(matchGlob(glob, text, steps)).toBe(false);
      expect(steps.count).toBeLessThanOrEqual((text.length + 1) * (glob.length + 1));
    }
    expect(inClass("a".repeat(253), ["a*a*a*a*a*a*a*a*b"])).toBe(false);
  });

  it("bounds the wildcards a pattern may hold", () => {
    expect(patternProblem("a*a*a*a*a*a*a*a*b")).toBeNull();
    expect(patternProblem("a*a*a*a*a*a*a*a*a*b")).toMatch(/at most 8 wildcards/);
    expect(patternProblem("?????????")).toMatch(/at most 8 wildcards/);
  });
});
