// Chart colours. A series' colour follows its name, never its rank: "payments" is the same colour
// at 24 h, after a zoom and on another page. Verdicts and directions have fixed colours; the summed
// rest is grey; rollout stage markers use colours no series uses (light violet, cyan, fuchsia,
// green, white), so a CANARY line is never mistaken for a namespace or for AUDIT.
import type { SeriesGroup } from "@/lib/queries/drops/seriesGroups";

export const chartConfig = {
  /** Series by name (hashed): Tableau's categorical colours without its red, yellow and green (verdicts, the ENFORCED marker). */
  palette: ["#4e79a7", "#f28e2b", "#76b7b2", "#bcbd22", "#b07aa1", "#ff9da7", "#9c755f", "#a0cbe8", "#ffbe7d", "#8c6d31"],
  other: "#64748b",
  fixed: {
    verdict: { DROPPED: "#ef4444", AUDIT: "#eab308" },
    direction: { INGRESS: "#4e79a7", EGRESS: "#f28e2b", UNKNOWN: "#64748b" },
  } as Partial<Record<SeriesGroup, Record<string, string>>>,
  /** "AUDIT after enforcement": AUDIT's yellow, hatched over enforced red. */
  stillAudited: { stripe: "#eab308", ground: "#7f1d1d" },
  grid: "#24304d",
  axis: "#97a0b8",
} satisfies {
  palette: readonly string[];
  other: string;
  fixed: Partial<Record<SeriesGroup, Record<string, string>>>;
  stillAudited: { stripe: string; ground: string };
  grid: string;
  axis: string;
};

/** Rollout stages on charts: transitions as dashed lines, stages as shaded bands. No series colour. */
export const STAGE_COLORS: Record<string, string> = {
  OBSERVE: "#c4b5fd",
  CANARY: "#e879f9",
  EXPAND: "#22d3ee",
  ENFORCED: "#4ade80",
  ROLLED_BACK: "#f8fafc",
};

/** FNV-1a: a name's slot in the palette, the same in every chart and every browser. */
export function nameHash(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** The palette colour a name hashes to (before resolving clashes within one chart). */
export const colorOfName = (key: string) => chartConfig.palette[nameHash(key) % chartConfig.palette.length] ?? chartConfig.other;

export interface ColoredSeries {
  key: string;
  /** The synthetic sum of the series past the top N. */
  other?: boolean;
}

/**
 * Each series' colour, by index. Fixed colours for verdicts and directions (when the chart is by
 * one of them), grey for the summed rest, else the colour the name hashes to. Two names of one
 * chart that hash alike: the one first by name keeps it and the other takes the next free colour,
 * so a name's colour never depends on its rank, only (rarely) on a clashing neighbour.
 */
export function seriesColors(series: readonly ColoredSeries[], group?: SeriesGroup): string[] {
  const fixed = group ? chartConfig.fixed[group] : undefined;
  const colors = new Array<string>(series.length).fill(chartConfig.other);
  const palette = chartConfig.palette;
  const taken = new Set<number>();
  const hashed: { index: number; key: string; slot: number }[] = [];
  series.forEach((s, index) => {
    if (s.other) return;
    const color = fixed?.[s.key];
    if (color) colors[index] = color;
    else hashed.push({ index, key: s.key, slot: nameHash(s.key) % palette.length });
  });
  hashed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const item of hashed) {
    let slot = item.slot;
    for (let tries = 0; tries < palette.length && taken.has(slot); tries++) slot = (slot + 1) % palette.length;
    taken.add(slot);
    colors[item.index] = palette[slot] ?? chartConfig.other;
  }
  return colors;
}

/** The group a chart is by when the caller does not say: verdicts and directions by their names. */
export function inferGroup(series: readonly ColoredSeries[]): SeriesGroup | undefined {
  const keys = series.filter((s) => !s.other).map((s) => s.key);
  if (keys.length === 0) return undefined;
  if (keys.every((k) => k in (chartConfig.fixed.verdict ?? {}))) return "verdict";
  if (keys.every((k) => k in (chartConfig.fixed.direction ?? {}))) return "direction";
  return undefined;
}
