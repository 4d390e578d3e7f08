"use client";
// A one-line warning on every dashboard page that shows "now" (a live preset, not a pinned range):
// a cluster that was reporting in the last 24 h has not checked in for the liveness period, so the
// charts may be quiet because its collector stopped, not because nothing is dropped. Dismissed for
// the browser session (per outage: a later one shows again).
import Link from "next/link";
import { useSyncExternalStore } from "react";
import { useDropView } from "./hooks/dropView";
import { useClusters } from "./hooks/useClusters";
import { formatUtcSince } from "./ui/format";

const KEY = "dropboard.dismissedStaleClusters";
const listeners = new Set<() => void>();

function readDismissed(): string {
  try {
    return window.sessionStorage.getItem(KEY) ?? "[]";
  } catch {
    return "[]";
  }
}

function dismiss(keys: string[]): void {
  try {
    const kept = new Set<string>(JSON.parse(readDismissed()) as string[]);
    for (const key of keys) kept.add(key);
    window.sessionStorage.setItem(KEY, JSON.stringify([...kept]));
  } catch {
    // Storage unavailable: the banner stays; nothing else to do.
  }
  for (const listener of listeners) listener();
}

function useDismissed(): Set<string> {
  const raw = useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    readDismissed,
    () => "[]",
  );
  try {
    return new Set(JSON.parse(raw) as string[]);
  } catch {
    return new Set();
  }
}

export function FreshnessBanner() {
  const [view] = useDropView();
  const clusters = useClusters();
  const dismissed = useDismissed();
  const pinned = Boolean(view.from && view.to);
  const data = clusters.data;
  if (pinned || !data) return null;
  const stopped = data.clusters
    .filter((c) => c.stoppedReporting && c.lastCheckinAt !== null)
    .map((c) => ({ cluster: c.cluster, since: c.lastCheckinAt as string, key: `${c.cluster}@${c.lastCheckinAt}` }))
    .filter((c) => !dismissed.has(c.key));
  if (stopped.length === 0) return null;
  const text = `No data from ${stopped.map((c) => `${c.cluster} since ${formatUtcSince(c.since, data.now)}`).join(", ")} — ${
    stopped.length === 1 ? "its collector" : "their collectors"
  } may have stopped`;
  const close = () => dismiss(stopped.map((c) => c.key));
  return (
    <div
      className="freshness-banner"
      role="status"
      aria-label="Stale data"
      onKeyDown={(e) => {
        if (e.key === "Escape") close();
      }}
    >
      <span className="dot dot-stopped" aria-hidden />
      <Link prefetch={false} href="/clusters" className="freshness-text" title={`${text} (see Clusters)`} data-testid="freshness-banner">
        {text}
      </Link>
      <button type="button" className="freshness-dismiss" onClick={close} aria-label="Dismiss this warning for this session" title="Dismiss for this session">
        ✕
      </button>
    </div>
  );
}
