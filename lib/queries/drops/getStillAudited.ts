// AUDIT drops where a rollout enforces: drops that still arrive as "would drop" in a namespace (and
// cluster) an enforcing stage (CANARY, EXPAND, ENFORCED) covers, once its grace period is over.
// Policy that is not enforced is theatre: these are what the overview and namespace charts single
// out as "audit after enforcement". Counted from the same rollups as the series, by whole buckets
// of the step (a bucket counts when it starts inside the enforced span).
import { inScope, type Scope } from "../../rollouts/scope";
import { ENFORCING_STAGES, type RolloutStage } from "../../rollouts/stages";
import { DEFAULT_ENFORCEMENT_GRACE_MINUTES } from "../rollouts/getRolloutHealth";
import { listRollouts, type RolloutView } from "../rollouts/getRollout";
import { alignToStep, bucketStarts, type Step, type TimeRange } from "../timeRange";
import type { DropFilters } from "./filters";
import { readBucketCounts } from "./bucketCounts";
import type { SeriesPoint } from "./getDropSeries";

const MINUTE_MS = 60_000;

export interface StillAuditedQuery extends DropFilters, TimeRange {
  step: Step;
  /** One drop path's AUDIT drops only (its id). */
  dropPath?: string;
}

/** One rollout enforcing in a namespace: from when (grace included) and the stage it is in. */
export interface EnforcingRollout {
  id: string;
  name: string;
  stage: RolloutStage;
  /** When enforcement of this namespace began (its first enforcing transition covering it). */
  since: string;
}

export interface StillAuditedNamespace {
  cluster: string;
  namespace: string;
  /** AUDIT drops counted in enforced spans in the range. */
  count: number;
  rollouts: EnforcingRollout[];
}

export interface StillAuditedResult {
  step: Step;
  from: string;
  to: string;
  total: number;
  /** Per bucket, like a series: every bucket present. */
  points: SeriesPoint[];
  /** The namespaces they came from, most first. */
  namespaces: StillAuditedNamespace[];
}

/** A span in which a rollout enforces on a namespace: [from, to), `from` after the grace period. */
interface EnforcedSpan {
  from: number;
  to: number;
  rollout: RolloutView;
  stage: RolloutStage;
  since: number;
}

/**
 * Where each rollout enforces on `namespace`, as spans of time. Enforcement of a namespace starts
 * at the first enforcing transition whose scope holds it and lasts while the following
 * transitions enforce and keep it in scope; the grace period (the rollout's, default 10 min) is
 * left out at its start, as health's proof of enforcement does. Pure.
 */
export function enforcedSpans(rollouts: readonly RolloutView[], namespace: string, now: number): EnforcedSpan[] {
  const spans: EnforcedSpan[] = [];
  for (const rollout of rollouts) {
    const graceMs = (rollout.enforcementGraceMinutes ?? DEFAULT_ENFORCEMENT_GRACE_MINUTES) * MINUTE_MS;
    let since: number | null = null;
    for (const [i, transition] of rollout.transitions.entries()) {
      const at = Date.parse(transition.at);
      const next = rollout.transitions[i + 1];
      // The last stage lasts (a year past now bounds it: nothing is stored in the future).
      const end = next ? Date.parse(next.at) : Math.max(now, at) + 366 * 86_400_000;
      const scope: Scope = { namespaces: transition.namespaces, classes: transition.classPatterns };
      if (!ENFORCING_STAGES.includes(transition.stage) || !inScope(namespace, scope)) {
        since = null;
        continue;
      }
      const start: number = since ?? at;
      since = start;
      const from = Math.max(at, start + graceMs);
      if (from < end) spans.push({ from, to: end, rollout, stage: transition.stage, since: start });
    }
  }
  return spans;
}

const appliesTo = (rollout: RolloutView, cluster: string) => rollout.clusters.length === 0 || rollout.clusters.includes(cluster);

export async function getStillAudited(query: StillAuditedQuery, now: Date = new Date()): Promise<StillAuditedResult> {
  const range = alignToStep(query, query.step);
  const starts = bucketStarts(range, query.step);
  const empty: StillAuditedResult = {
    step: query.step,
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    total: 0,
    points: starts.map((start) => ({ t: start.toISOString(), count: 0 })),
    namespaces: [],
  };
  if (query.verdict?.length && !query.verdict.includes("AUDIT")) return empty;
  const rollouts = (await listRollouts()).filter((r) => r.transitions.some((t) => ENFORCING_STAGES.includes(t.stage)));
  if (rollouts.length === 0) return empty;

  const rows = await readBucketCounts({ ...query, ...range, verdict: ["AUDIT"] }, { cluster: "cluster", namespace: "namespace" }, now);
  return shapeStillAudited(rows, rollouts, range, query.step, now);
}

/** AUDIT rows by bucket, cluster and namespace, kept where a rollout enforced. Pure. */
export function shapeStillAudited(
  rows: readonly { t: Date; cluster: string; namespace: string; count: number }[],
  rollouts: readonly RolloutView[],
  range: TimeRange,
  step: Step,
  now: Date,
): StillAuditedResult {
  const starts = bucketStarts(range, step);
  const index = new Map(starts.map((start, i) => [start.getTime(), i]));
  const counts = new Array<number>(starts.length).fill(0);
  const spansOf = new Map<string, EnforcedSpan[]>();
  // Keyed by cluster NUL namespace (text in PostgreSQL never holds NUL); a rollout's latest covering span per entry.
  const byNamespace = new Map<string, { cluster: string; namespace: string; count: number; latest: Map<string, { span: EnforcedSpan; at: number }> }>();
  for (const row of rows) {
    let spans = spansOf.get(row.namespace);
    if (!spans) spansOf.set(row.namespace, (spans = enforcedSpans(rollouts, row.namespace, now.getTime())));
    const t = row.t.getTime();
    const i = index.get(t);
    if (i === undefined) continue;
    let entry: ReturnType<typeof byNamespace.get>;
    for (const span of spans) {
      if (t < span.from || t >= span.to || !appliesTo(span.rollout, row.cluster)) continue;
      if (!entry) {
        const key = `${row.cluster}\u0000${row.namespace}`;
        entry = byNamespace.get(key);
        if (!entry) byNamespace.set(key, (entry = { cluster: row.cluster, namespace: row.namespace, count: 0, latest: new Map() }));
        entry.count += row.count;
        counts[i] = (counts[i] ?? 0) + row.count;
      }
      const seen = entry.latest.get(span.rollout.id);
      if (!seen || seen.at < t) entry.latest.set(span.rollout.id, { span, at: t });
    }
  }
  const namespaces = [...byNamespace.values()]
    .map(({ latest, ...entry }) => ({
      ...entry,
      rollouts: [...latest.values()].map(({ span }): EnforcingRollout => ({ id: span.rollout.id, name: span.rollout.name, stage: span.stage, since: new Date(span.since).toISOString() })),
    }))
    .sort((a, b) => b.count - a.count || a.namespace.localeCompare(b.namespace) || a.cluster.localeCompare(b.cluster));
  return {
    step,
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    total: counts.reduce((sum, c) => sum + c, 0),
    points: starts.map((start, i) => ({ t: start.toISOString(), count: counts[i] ?? 0 })),
    namespaces,
  };
}
