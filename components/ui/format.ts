// Number and time formatting for the dashboard: exact counts, UTC times (what incident notes use).
const integer = new Intl.NumberFormat("en-US");
const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });

export const formatCount = (n: number) => integer.format(n);
export const formatCompact = (n: number) => compact.format(n);

export function formatTime(iso: string | number, withDate = true): string {
  const text = new Date(iso).toISOString();
  return withDate ? `${text.slice(0, 10)} ${text.slice(11, 16)}` : text.slice(11, 16);
}

/** The change against the previous period, as a phrase: "+12.5% vs previous period". */
export function formatChange(current: number, previous: number): { text: string; direction: "up" | "down" | "flat" } {
  if (previous === 0) return current === 0 ? { text: "none in either period", direction: "flat" } : { text: "none in the previous period", direction: "up" };
  const change = ((current - previous) / previous) * 100;
  if (Math.abs(change) < 0.5) return { text: "±0% vs previous period", direction: "flat" };
  if (change >= 1000) return { text: `${formatCount(Math.round(current / previous))}× the previous period`, direction: "up" };
  return { text: `${change > 0 ? "+" : ""}${change.toFixed(change > -10 && change < 10 ? 1 : 0)}% vs previous period`, direction: change > 0 ? "up" : "down" };
}

export const STEP_LABELS = { "1m": "minute", "5m": "5 minutes", "1h": "hour", "1d": "day" } as const;
