"use client";
// Every cluster sending drops: when it last sent one and how much it dropped in the last 24 h.
// A cluster that went quiet may be healthy (nothing denied) or may have lost its collector: the
// last-drop age says which to suspect.
import Link from "next/link";
import { useClusters } from "./hooks/useClusters";
import { formatCount, formatTime } from "./ui/format";
import { EmptyState, ErrorState, SendDropsHint, Skeleton } from "./ui/states";

const MINUTE = 60_000;

export function lastDropAge(lastSeen: string, now: number): { text: string; tone: "live" | "quiet" | "silent" } {
  const minutes = Math.max(0, Math.floor((now - new Date(lastSeen).getTime()) / MINUTE));
  const text = minutes < 1 ? "just now" : minutes < 60 ? `${minutes} min ago` : minutes < 48 * 60 ? `${Math.floor(minutes / 60)} h ago` : `${Math.floor(minutes / 1440)} d ago`;
  return { text, tone: minutes < 15 ? "live" : minutes < 6 * 60 ? "quiet" : "silent" };
}

export function ClustersView() {
  const clusters = useClusters();
  // Ages are as of the last fetch (refreshed every 30 s), which keeps rendering pure.
  const now = clusters.dataUpdatedAt;
  return (
    <main className="page">
      <section className="panel" aria-labelledby="clusters-title">
        <div className="panel-header">
          <h2 id="clusters-title">Clusters</h2>
          <span className="muted">drops in the last 24 h · refreshed every 30 s</span>
        </div>
        {clusters.isPending ? (
          <Skeleton height={160} label="Loading clusters" />
        ) : clusters.isError ? (
          <ErrorState message={clusters.error.message} onRetry={() => void clusters.refetch()} />
        ) : clusters.data.clusters.length === 0 ? (
          <EmptyState title="No cluster has sent drops yet.">
            <SendDropsHint />
          </EmptyState>
        ) : (
          <div className="table-scroll">
            <table className="table" aria-label="Clusters">
              <thead>
                <tr>
                  <th scope="col">cluster</th>
                  <th scope="col">last drop</th>
                  <th scope="col" className="num">drops (24 h)</th>
                  <th scope="col" className="num">enforced</th>
                  <th scope="col" className="num">audit</th>
                  <th scope="col" className="num">namespaces</th>
                  <th scope="col">first seen</th>
                </tr>
              </thead>
              <tbody>
                {clusters.data.clusters.map((c) => {
                  const age = lastDropAge(c.lastSeen, now);
                  return (
                    <tr key={c.cluster}>
                      <td>
                        <Link href={`/?cluster=${encodeURIComponent(c.cluster)}`}>{c.cluster}</Link>
                      </td>
                      <td title={`${formatTime(c.lastSeen)} UTC`}>
                        <span className={`dot dot-${age.tone}`} aria-hidden /> {age.text}
                      </td>
                      <td className="num">{formatCount(c.drops)}</td>
                      <td className="num">{formatCount(c.dropped)}</td>
                      <td className="num">{formatCount(c.audit)}</td>
                      <td className="num">{formatCount(c.namespaces)}</td>
                      <td className="muted">{formatTime(c.firstSeen)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </main>
  );
}
