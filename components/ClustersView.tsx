"use client";
// Every cluster: whether its collector is reporting (it checked in lately: any ingest request or a
// heartbeat), when it last sent a drop, and how much it dropped in the last 24 h. A cluster that
// drops nothing sends nothing, so the dot follows the check-in, not the last drop.
import Link from "next/link";
import type { ClusterSummary } from "@/lib/queries/clusters/getClusters";
import { useClusters } from "./hooks/useClusters";
import { formatCount, formatDuration, formatTime, formatUtcSince } from "./ui/format";
import { EmptyState, ErrorState, SendDropsHint, Skeleton } from "./ui/states";

const MINUTE = 60_000;

/** "just now", "12 min ago", "5 h 10 min ago", "1 d 12 h ago", as of `now`. */
export function ageText(iso: string, now: string): string {
  const minutes = Math.max(0, Math.floor((new Date(now).getTime() - new Date(iso).getTime()) / MINUTE));
  return minutes < 1 ? "just now" : `${formatDuration(minutes * MINUTE)} ago`;
}

type Tone = "live" | "stopped" | "silent";

/** The collector's state in a dot and words. */
export function collectorState(c: ClusterSummary, now: string): { tone: Tone; text: string } {
  if (c.lastCheckinAt === null) return { tone: "silent", text: "no check-in recorded" };
  if (c.reporting) return { tone: "live", text: `reporting · checked in ${ageText(c.lastCheckinAt, now)}` };
  const since = `${formatUtcSince(c.lastCheckinAt, now)} (${ageText(c.lastCheckinAt, now)})`;
  return c.stoppedReporting ? { tone: "stopped", text: `stopped? no check-in since ${since}` } : { tone: "silent", text: `silent since ${since}` };
}

export function ClustersView() {
  const clusters = useClusters();
  return (
    <main className="page">
      <section className="panel" aria-labelledby="clusters-title">
        <div className="panel-header">
          <h2 id="clusters-title">Clusters</h2>
          <span className="muted">
            {clusters.data ? `reporting: its collector checked in within ${clusters.data.livenessMinutes} min · ` : ""}drops in the last 24 h · refreshed every 30 s
          </span>
        </div>
        {clusters.isPending ? (
          <Skeleton height={160} label="Loading clusters" />
        ) : clusters.isError ? (
          <ErrorState message={clusters.error.message} onRetry={() => void clusters.refetch()} />
        ) : clusters.data.clusters.length === 0 ? (
          <EmptyState title="No cluster has sent drops or checked in yet.">
            <SendDropsHint />
          </EmptyState>
        ) : (
          <div className="table-scroll">
            <table className="table stack clusters-table" aria-label="Clusters">
              <thead>
                <tr>
                  <th scope="col">cluster</th>
                  <th scope="col">collector</th>
                  <th scope="col" className="wide-only">last heartbeat</th>
                  <th scope="col">last drop</th>
                  <th scope="col" className="num">drops (24 h)</th>
                  <th scope="col" className="num wide-only">enforced</th>
                  <th scope="col" className="num wide-only">audit</th>
                  <th scope="col" className="num wide-only">namespaces</th>
                  <th scope="col" className="wide-only">first drop</th>
                </tr>
              </thead>
              <tbody>
                {clusters.data.clusters.map((c) => (
                  <ClusterRow key={c.cluster} cluster={c} now={clusters.data.now} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </main>
  );
}

function ClusterRow({ cluster: c, now }: { cluster: ClusterSummary; now: string }) {
  const state = collectorState(c, now);
  return (
    <tr data-testid={`cluster-${c.cluster}`}>
      <td className="c-name">
        <Link prefetch={false} href={`/?cluster=${encodeURIComponent(c.cluster)}`}>{c.cluster}</Link>
      </td>
      <td className="collector-cell" title={c.lastCheckinAt ? `last check-in ${formatTime(c.lastCheckinAt)}:${c.lastCheckinAt.slice(17, 19)} UTC${c.stoppedReporting ? ": its collector may have stopped" : ""}` : undefined}>
        <span className={`dot dot-${state.tone}`} aria-hidden /> <span className={state.tone === "stopped" ? "warn-text" : ""}>{state.text}</span>
      </td>
      <td className="muted wide-only" data-label="last heartbeat" title={c.lastHeartbeatAt ? `${formatTime(c.lastHeartbeatAt)} UTC` : "this collector sends no heartbeats (only drops)"}>
        {c.lastHeartbeatAt ? ageText(c.lastHeartbeatAt, now) : "–"}
      </td>
      <td data-label="last drop" title={c.lastSeen ? `${formatTime(c.lastSeen)} UTC` : undefined}>{c.lastSeen ? ageText(c.lastSeen, now) : <span className="muted">none yet</span>}</td>
      <td className="num" data-label="drops (24 h)">
        {formatCount(c.drops)}
      </td>
      <td className="num wide-only" data-label="enforced">
        {formatCount(c.dropped)}
      </td>
      <td className="num wide-only" data-label="audit">
        {formatCount(c.audit)}
      </td>
      <td className="num wide-only" data-label="namespaces">
        {formatCount(c.namespaces)}
      </td>
      <td className="muted wide-only" data-label="first drop">
        {c.firstSeen ? formatTime(c.firstSeen) : "–"}
      </td>
    </tr>
  );
}
