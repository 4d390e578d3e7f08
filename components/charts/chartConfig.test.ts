import { describe, expect, it } from "vitest";
import { chartConfig, colorOfName, seriesColors, STAGE_COLORS } from "./chartConfig";

describe("series colours", () => {
  it("follow the name, not the rank: a zoom that reorders series keeps every colour", () => {
    const day = [{ key: "payments" }, { key: "batch" }, { key: "orders" }, { key: "(other)", other: true }];
    const zoomed = [{ key: "orders" }, { key: "payments" }, { key: "search" }];
    const colorsOf = (series: { key: string; other?: boolean }[]) => new Map(series.map((s, i) => [s.key, seriesColors(series)[i]]));
    const a = colorsOf(day);
    const b = colorsOf(zoomed);
    expect(a.get("payments")).toBe(b.get("payments"));
    expect(a.get("orders")).toBe(b.get("orders"));
    expect(a.get("payments")).toBe(colorOfName("payments"));
    expect(a.get("(other)")).toBe(chartConfig.other);
  });

  it("never gives two series of one chart the same colour (up to the palette's size: charts show at most 10 and the rest summed)", () => {
    const series = Array.from({ length: chartConfig.palette.length }, (_, i) => ({ key: `team-${i}` }));
    expect(new Set(seriesColors(series)).size).toBe(chartConfig.palette.length);
  });

  it("keeps a real group named (other) apart from the summed rest", () => {
    const colors = seriesColors([{ key: "(other)" }, { key: "(other)", other: true }]);
    expect(colors[0]).not.toBe(colors[1]);
    expect(colors[1]).toBe(chartConfig.other);
  });

  it("gives verdicts and directions fixed colours only on charts by them", () => {
    expect(seriesColors([{ key: "DROPPED" }, { key: "AUDIT" }], "verdict")).toEqual(["#ef4444", "#eab308"]);
    expect(seriesColors([{ key: "AUDIT" }], "namespace")[0]).toBe(colorOfName("AUDIT"));
  });

  it("draws rollout markers in colours no series uses", () => {
    const seriesColours = new Set([...chartConfig.palette, chartConfig.other, ...Object.values(chartConfig.fixed).flatMap((f) => Object.values(f ?? {})), chartConfig.stillAudited.stripe]);
    for (const color of Object.values(STAGE_COLORS)) expect(seriesColours.has(color), color).toBe(false);
  });
});
