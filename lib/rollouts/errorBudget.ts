// The application error budget: the rollout's PromQL error ratio, asked of Prometheus's HTTP API
// (GET /api/v1/query) for the stage's "now" window and for the fixed baseline. Drops show what a
// policy blocked where a collector looks; error ratios show what it broke everywhere else.
// `$namespaces` becomes a regex of the namespaces in the stage's scope, `$window` the window
// (e.g. `15m`). Anything short of a number is "unavailable", with the reason: never a silent pass.
// Readers see a status, never the target's reply (the URL is a write-token user's input).
import type { TimeRange } from "../queries/timeRange";
import { ERROR_RATIO_FLOOR, type ErrorSignal } from "./verdict";

const QUERY_TIMEOUT_MS = 5_000;
const MINUTE_MS = 60_000;

export interface ErrorBudgetSettings {
  errorQuery: string | null;
  prometheusUrl: string | null;
}

/** A namespace list as an anchored-by-PromQL regex alternation (`=~` anchors it); null: every namespace. */
export function namespacesRegex(namespaces: readonly string[] | null): string {
  if (namespaces === null) return ".+";
  if (namespaces.length === 0) return "$^";
  return namespaces.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|");
}

/** The query with its placeholders filled. Backslashes are doubled: the regex sits in a PromQL string. */
export function fillQuery(template: string, namespaces: readonly string[] | null, windowMinutes: number): string {
  return template.replaceAll("$namespaces", namespacesRegex(namespaces).replaceAll("\\", "\\\\")).replaceAll("$window", `${Math.max(1, Math.round(windowMinutes))}m`);
}

/**
 * Which Prometheus servers a rollout may name: PROMETHEUS_URL's, and those the operator lists in
 * DROPBOARD_PROMETHEUS_URLS (comma-separated). A write token must not turn the server into a
 * request proxy for addresses of its choosing.
 */
export function allowedPrometheusOrigins(): Set<string> {
  const urls = [process.env.PROMETHEUS_URL ?? "", ...(process.env.DROPBOARD_PROMETHEUS_URLS ?? "").split(",")];
  const origins = new Set<string>();
  for (const text of urls) {
    try {
      if (text.trim() !== "") origins.add(new URL(text.trim()).origin);
    } catch {
      // An unparsable entry allows nothing.
    }
  }
  return origins;
}

/** Why a rollout may not name this Prometheus, or null. */
export function prometheusUrlProblem(text: string): string | null {
  let origin: string;
  try {
    origin = new URL(text).origin;
  } catch {
    return "not a URL";
  }
  if (allowedPrometheusOrigins().has(origin)) return null;
  return `${origin} is not PROMETHEUS_URL nor listed in DROPBOARD_PROMETHEUS_URLS (the operator decides which Prometheus servers rollouts may name)`;
}

type Answer = { value: number } | { problem: string };

async function instantQuery(baseUrl: string, query: string, at: Date): Promise<Answer> {
  const url = new URL("api/v1/query", baseUrl.endsWith("/") ? baseUrl : `${baseUrl}/`);
  url.searchParams.set("query", query);
  url.searchParams.set("time", (at.getTime() / 1000).toFixed(3));
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(QUERY_TIMEOUT_MS), headers: { accept: "application/json" } });
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
    return { problem: timedOut ? `Prometheus did not answer within ${QUERY_TIMEOUT_MS / 1000} s` : "Prometheus is unreachable" };
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    return { problem: `Prometheus answered HTTP ${response.status} without its JSON API` };
  }
  const reply = body as { status?: string; errorType?: string; data?: { resultType?: string; result?: unknown } };
  if (reply.status !== "success") return { problem: `Prometheus refused the query (HTTP ${response.status}${reply.errorType ? `, ${reply.errorType}` : ""})` };
  const result = reply.data?.result;
  let values: number[] = [];
  if (reply.data?.resultType === "scalar" && Array.isArray(result)) values = [Number(result[1])];
  else if (reply.data?.resultType === "vector" && Array.isArray(result)) {
    values = result.map((sample: unknown) => Number((sample as { value?: unknown[] }).value?.[1]));
  } else return { problem: `the query must give one number (got a ${reply.data?.resultType ?? "strange"} result)` };
  const numbers = values.filter((v) => Number.isFinite(v));
  if (numbers.length === 0) return { problem: values.length > 0 ? "the query gave no number (no requests in the window?)" : "the query returned no data" };
  // Several series: the worst one (an error budget must not be averaged away).
  return { value: Math.max(...numbers) };
}

/**
 * Reads the error ratio now (over `now`, at its end) and in the baseline (over the whole baseline,
 * at its end). Null when the rollout has no error query.
 */
export async function readErrorSignal(settings: ErrorBudgetSettings, namespaces: readonly string[] | null, now: TimeRange, baseline: TimeRange): Promise<ErrorSignal | null> {
  if (!settings.errorQuery) return null;
  const baseUrl = settings.prometheusUrl ?? process.env.PROMETHEUS_URL ?? null;
  const nowMinutes = (now.to.getTime() - now.from.getTime()) / MINUTE_MS;
  const query = fillQuery(settings.errorQuery, namespaces, nowMinutes);
  if (!baseUrl) return { status: "unavailable", ratio: null, baselineRatio: null, increasePct: null, detail: "no Prometheus configured (PROMETHEUS_URL)", query };
  if (settings.prometheusUrl && prometheusUrlProblem(settings.prometheusUrl)) {
    return { status: "unavailable", ratio: null, baselineRatio: null, increasePct: null, detail: "the rollout's Prometheus is no longer allowed (DROPBOARD_PROMETHEUS_URLS)", query };
  }
  const baselineMinutes = (baseline.to.getTime() - baseline.from.getTime()) / MINUTE_MS;
  const [current, before] = await Promise.all([
    instantQuery(baseUrl, query, now.to),
    baselineMinutes >= 1 ? instantQuery(baseUrl, fillQuery(settings.errorQuery, namespaces, baselineMinutes), baseline.to) : Promise.resolve<Answer>({ problem: "no baseline window" }),
  ]);
  if ("problem" in current) return { status: "unavailable", ratio: null, baselineRatio: null, increasePct: null, detail: current.problem, query };
  const baselineRatio = "value" in before ? before.value : null;
  return {
    status: "ok",
    ratio: current.value,
    baselineRatio,
    increasePct: baselineRatio === null ? null : ((current.value - baselineRatio) / Math.max(baselineRatio, ERROR_RATIO_FLOOR)) * 100,
    detail: "problem" in before ? `baseline: ${before.problem}` : "read",
    query,
  };
}

export interface ErrorSeries {
  status: "ok" | "unavailable" | "not-set";
  detail: string;
  query: string | null;
  stepSeconds: number;
  /** One point per step; ratio null where Prometheus had no number. */
  points: { t: string; ratio: number | null }[];
}

/**
 * The error ratio over a range (Prometheus's query_range), for the rollout chart: each point is the
 * ratio over the step before it ($window = the step, at least a minute).
 */
export async function readErrorSeries(settings: ErrorBudgetSettings, namespaces: readonly string[] | null, range: TimeRange, stepSeconds: number): Promise<ErrorSeries> {
  const windowMinutes = Math.max(1, Math.round(stepSeconds / 60));
  if (!settings.errorQuery) return { status: "not-set", detail: "the rollout has no error query", query: null, stepSeconds, points: [] };
  const query = fillQuery(settings.errorQuery, namespaces, windowMinutes);
  const baseUrl = settings.prometheusUrl ?? process.env.PROMETHEUS_URL ?? null;
  const unavailable = (detail: string): ErrorSeries => ({ status: "unavailable", detail, query, stepSeconds, points: [] });
  if (!baseUrl) return unavailable("no Prometheus configured (PROMETHEUS_URL)");
  if (settings.prometheusUrl && prometheusUrlProblem(settings.prometheusUrl)) return unavailable("the rollout's Prometheus is no longer allowed (DROPBOARD_PROMETHEUS_URLS)");
  const url = new URL("api/v1/query_range", baseUrl.endsWith("/") ? baseUrl : `${baseUrl}/`);
  url.searchParams.set("query", query);
  // Steps end at `to` (the newest point is now), so Prometheus's points are start + k·step.
  const end = range.to.getTime() / 1000;
  const start = end - Math.floor((end - range.from.getTime() / 1000) / stepSeconds) * stepSeconds;
  url.searchParams.set("start", start.toFixed(3));
  url.searchParams.set("end", end.toFixed(3));
  url.searchParams.set("step", String(stepSeconds));
  let body: { status?: string; data?: { resultType?: string; result?: { values?: [number, string][] }[] } };
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(QUERY_TIMEOUT_MS), headers: { accept: "application/json" } });
    body = (await response.json()) as typeof body;
    if (body.status !== "success") return unavailable(`Prometheus refused the query (HTTP ${response.status})`);
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
    return unavailable(timedOut ? `Prometheus did not answer within ${QUERY_TIMEOUT_MS / 1000} s` : "Prometheus is unreachable");
  }
  // Several series: the worst at each step, as for the budget.
  const byTime = new Map<number, number>();
  for (const series of body.data?.result ?? []) {
    for (const [t, text] of series.values ?? []) {
      const value = Number(text);
      if (!Number.isFinite(value)) continue;
      byTime.set(t, Math.max(byTime.get(t) ?? -Infinity, value));
    }
  }
  const points: ErrorSeries["points"] = [];
  const times = [...byTime.keys()];
  for (let t = start; t <= end + 0.001; t += stepSeconds) {
    const found = times.find((k) => Math.abs(k - t) < 0.01);
    points.push({ t: new Date(Math.round(t * 1000)).toISOString(), ratio: found === undefined ? null : (byTime.get(found) ?? null) });
  }
  return { status: "ok", detail: byTime.size > 0 ? "read" : "the query returned no data in the range", query, stepSeconds, points };
}
