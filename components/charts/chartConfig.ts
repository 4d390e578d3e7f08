// Series colours: distinguishable (Okabe-Ito-like, colour-blind safe first), fixed for verdicts.
export const chartConfig = {
  palette: ["#56b4e9", "#e69f00", "#009e73", "#cc79a7", "#f0e442", "#0072b2", "#d55e00", "#a3a3ff", "#7fd4c1", "#ffb3b3"],
  other: "#6b7280",
  fixed: { DROPPED: "#ef4444", AUDIT: "#eab308", INGRESS: "#56b4e9", EGRESS: "#e69f00", UNKNOWN: "#6b7280" } as Record<string, string>,
  grid: "#24304d",
  axis: "#97a0b8",
} satisfies {
  palette: readonly string[];
  other: string;
  fixed: Record<string, string>;
  grid: string;
  axis: string;
};

export function seriesColor(key: string, index: number, otherKey: string): string {
  if (key === otherKey) return chartConfig.other;
  return chartConfig.fixed[key] ?? chartConfig.palette[index % chartConfig.palette.length] ?? chartConfig.other;
}

/** Rollout stages on charts: transitions as dashed lines, stages as shaded bands. */
export const STAGE_COLORS: Record<string, string> = {
  OBSERVE: "#a78bfa",
  CANARY: "#f59e0b",
  EXPAND: "#38bdf8",
  ENFORCED: "#22c55e",
  ROLLED_BACK: "#ef4444",
};
