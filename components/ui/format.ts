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

/** A rate or a small figure for display: two decimals under 100, whole above ("n/a" when there is none). */
export function formatRate(n: number | null): string {
  if (n === null || !Number.isFinite(n)) return "n/a";
  return Math.abs(n) >= 100 ? formatCount(Math.round(n)) : String(Math.round(n * 100) / 100);
}

/** The exact value, for tooltips. */
export const formatExact = (n: number) => n.toLocaleString("en-US", { maximumFractionDigits: 6 });

/** A signed percentage: "+12.5%", "-3%", "n/a". */
export const formatPct = (n: number | null) => (n === null || !Number.isFinite(n) ? "n/a" : `${n >= 0 ? "+" : ""}${formatRate(n)}%`);

/** A duration in minutes as people say it: "14 min", "3 h 20 min", "24 h", "2 d 3 h". */
export function formatMinutes(minutes: number): string {
  const m = Math.max(0, Math.round(minutes));
  if (m < 60) return `${m} min`;
  if (m <= 48 * 60) return m % 60 === 0 ? `${m / 60} h` : `${Math.floor(m / 60)} h ${m % 60} min`;
  const hours = Math.floor((m % (24 * 60)) / 60);
  return `${Math.floor(m / (24 * 60))} d${hours ? ` ${hours} h` : ""}`;
}

/** "10:42 UTC" when on the same UTC day as `now`, else "2026-11-30 10:42 UTC". */
export function formatUtcSince(iso: string, now: string | number): string {
  const text = new Date(iso).toISOString();
  const sameDay = text.slice(0, 10) === new Date(now).toISOString().slice(0, 10);
  return `${sameDay ? "" : `${text.slice(0, 10)} `}${text.slice(11, 16)} UTC`;
}
