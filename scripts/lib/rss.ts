// Resident memory of a process and its descendants, read from /proc (Linux).
import { readdirSync, readFileSync } from "node:fs";

function childrenOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((task) =>
      readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number),
    );
  } catch {
    return [];
  }
}

function rssBytes(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

export function treeRssBytes(pid: number): number {
  return rssBytes(pid) + childrenOf(pid).reduce((sum, child) => sum + treeRssBytes(child), 0);
}

/** Samples the tree's RSS every `intervalMs`; `stop()` returns the peak. */
export function samplePeakRss(pid: number, intervalMs = 100): { stop(): number } {
  let peak = treeRssBytes(pid);
  const timer = setInterval(() => {
    peak = Math.max(peak, treeRssBytes(pid));
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, treeRssBytes(pid));
    },
  };
}
