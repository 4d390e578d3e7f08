import { describe, expect, it } from "vitest";
import { formatChange } from "./format";

describe("formatChange", () => {
  it("phrases the change against the previous period", () => {
    expect(formatChange(110, 100)).toEqual({ text: "+10% vs previous period", direction: "up" });
    expect(formatChange(95, 100)).toEqual({ text: "-5.0% vs previous period", direction: "down" });
    expect(formatChange(100, 100).direction).toBe("flat");
    expect(formatChange(5000, 10).text).toBe("500× the previous period");
    expect(formatChange(3, 0).text).toBe("none in the previous period");
  });
});
