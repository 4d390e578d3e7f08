// Error ratios (0..1) as people read them: percentages with as many decimals as small ratios need.
import { formatExact } from "../ui/format";

/** "12.3%", "1.25%", "0.125%", "0.00123%", "n/a". */
export function formatRatioPct(ratio: number | null): string {
  if (ratio === null || !Number.isFinite(ratio)) return "n/a";
  const pct = ratio * 100;
  if (pct === 0) return "0%";
  const abs = Math.abs(pct);
  if (abs < 0.0001) return pct > 0 ? "<0.0001%" : ">-0.0001%";
  // Two decimals from 1%, one from 10%; below 1%, three significant digits (0.125%, 0.0123%).
  const shown = abs >= 10 ? pct.toFixed(1) : abs >= 1 ? pct.toFixed(2) : pct.toPrecision(3);
  return `${Number(shown)}%`;
}

/** The exact value, for tooltips: "1.234567% (ratio 0.01234567)". */
export const exactRatio = (ratio: number) => `${formatExact(ratio * 100)}% (ratio ${ratio})`;

/** A ratio as a percentage for a form field (0.07 → "7", not "7.000000000000001"). */
export const ratioToPercentField = (ratio: number | null | undefined) => (ratio === null || ratio === undefined ? "" : String(Number((ratio * 100).toFixed(6))));
