// Number and time formatting for the dashboard: exact counts, UTC times (what incident notes use).
import type { Step } from "@/lib/queries/timeRange";

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

/** A bucket size in words: "per 15 min" reads "drops / 15 min". */
export const STEP_LABELS = {
  "1m": "minute",
  "5m": "5 min",
  "10m": "10 min",
  "15m": "15 min",
  "30m": "30 min",
  "1h": "hour",
  "2h": "2 h",
  "3h": "3 h",
  "6h": "6 h",
  "12h": "12 h",
  "1d": "day",
} as const satisfies Record<Step, string>;

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

/**
 * A duration as people say it, to two units at most: "45 s", "14 min", "3 h 20 min", "1 d 12 h",
 * "12 d". Days start at 24 h (2,166 min is "1 d 12 h", not "36 h 6 min").
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return "n/a";
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 24 * 60) return minutes % 60 === 0 ? `${minutes / 60} h` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
  const hours = Math.round(minutes / 60);
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 || days >= 10 ? `${days} d` : `${days} d ${hours % 24} h`;
}

/** A range as the page says it: "2026-06-01 10:45 – 06-02 10:45 UTC" (the date once when it is one day). */
export function formatRange(from: string | number, to: string | number): string {
  const a = formatTime(from);
  const b = formatTime(to);
  if (a.slice(0, 10) === b.slice(0, 10)) return `${a} – ${b.slice(11)} UTC`;
  return `${a} – ${a.slice(0, 4) === b.slice(0, 4) ? b.slice(5) : b} UTC`;
}

/** "10:42 UTC" when on the same UTC day as `now`, else "2026-11-30 10:42 UTC". */
export function formatUtcSince(iso: string, now: string | number): string {
  const text = new Date(iso).toISOString();
  const sameDay = text.slice(0, 10) === new Date(now).toISOString().slice(0, 10);
  return `${sameDay ? "" : `${text.slice(0, 10)} `}${text.slice(11, 16)} UTC`;
}
