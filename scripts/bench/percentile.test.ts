import { describe, expect, it } from "vitest";
import { percentile } from "./percentile";

const oneTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe("percentile (nearest rank)", () => {
  it("takes the 19th of 20 for p95 and the 10th for p50", () => {
    expect(percentile(oneTo(20), 95)).toBe(19);
    expect(percentile(oneTo(20), 50)).toBe(10);
  });
  it("takes the 29th of 30 for p95 and the 12th of 12 for p100", () => {
    expect(percentile(oneTo(30), 95)).toBe(29);
    expect(percentile(oneTo(12), 100)).toBe(12);
    expect(percentile(oneTo(12), 95)).toBe(12);
  });
  it("answers the one value, the first for p0, and 0 for none", () => {
    expect(percentile([7], 95)).toBe(7);
    expect(percentile(oneTo(5), 0)).toBe(1);
    expect(percentile([], 50)).toBe(0);
  });
});
