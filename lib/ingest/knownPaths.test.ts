import { describe, expect, it } from "vitest";
import { forgetKnownPaths, isKnown, LAST_SEEN_RESOLUTION_MS, remember } from "./knownPaths";

const facts = (first: number, last: number, policies: string[] = [], reasons = ["POLICY_DENIED"]) => ({
  first,
  last,
  policies: new Set(policies),
  reasons: new Set(reasons),
});

describe("known drop paths", () => {
  it("skips only what adds nothing: earlier first, later last, new policies or reasons all count", () => {
    forgetKnownPaths();
    expect(isKnown("p", facts(100, 200))).toBe(false);
    remember("p", facts(100, 200, ["ns/a"]));
    expect(isKnown("p", facts(150, 200 + LAST_SEEN_RESOLUTION_MS - 1, ["ns/a"]))).toBe(true);
    expect(isKnown("p", facts(99, 200))).toBe(false);
    expect(isKnown("p", facts(150, 200 + LAST_SEEN_RESOLUTION_MS))).toBe(false);
    expect(isKnown("p", facts(150, 160, ["ns/b"]))).toBe(false);
    expect(isKnown("p", facts(150, 160, [], ["POLICY_DENY"]))).toBe(false);
  });

  it("merges what was written", () => {
    forgetKnownPaths();
    remember("p", facts(100, 200, ["a"]));
    remember("p", facts(50, 150, ["b"]));
    expect(isKnown("p", facts(50, 200, ["a", "b"]))).toBe(true);
  });
});
