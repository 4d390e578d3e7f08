import { describe, expect, it } from "vitest";
import { mostDropped } from "./classifyStagePaths";

describe("mostDropped", () => {
  it("lists what a stable sort by count then the first n gives, ties in their given order", () => {
    let seed = 7;
    const random = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
    for (let trial = 0; trial < 300; trial++) {
      // Some far longer than n: the n highest are picked out of many (a heap of n).
      const size = Math.floor(random() * (trial % 5 === 0 ? 600 : 60));
      // Few distinct counts (some fractional or negative): many ties, also at the n-th row.
      const rows = Array.from({ length: size }, (_, index) => ({ index, count: Math.floor(random() * 5) - (index % 7 === 0 ? 2.5 : 0) }));
      const n = Math.floor(random() * 40);
      const expected = [...rows].sort((a, b) => b.count - a.count).slice(0, n);
      expect(mostDropped(rows, n).map((row) => row.index)).toEqual(expected.map((row) => row.index));
    }
  });

  it("leaves its input as it was", () => {
    const rows = [{ count: 1 }, { count: 3 }, { count: 2 }];
    mostDropped(rows, 2);
    mostDropped(rows, 5);
    expect(rows.map((row) => row.count)).toEqual([1, 3, 2]);
  });
});
