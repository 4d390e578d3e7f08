// Which new events are kept as raw rows: at most N per drop path per minute (exemplars). Every
// event is still counted (rollups) and deduplicated (drop_event_keys); only the raw row is
// skipped, so storage stays bounded under a drop storm while every chart shows the same.
//
// The first half of a path-minute's budget goes to whatever comes first; the rest only to events
// between a pod pair not yet kept that minute, so one chatty pod cannot hide the others from a
// pod search.
//
// The budget is this process's own: N per replica, and it starts afresh after a restart. That
// keeps the bound without a database round trip per batch; the bound is what matters, not N
// exactly.

const MINUTE_MS = 60_000;
/** Minutes older than the newest seen by this much are forgotten (late data is rare). */
const KEEP_MINUTES = 15;

interface PathMinute {
  kept: number;
  /** The pod pairs kept so far (at most N). */
  podPairs: Set<string>;
}

// minute (epoch ms) -> path key -> what was kept
const budgets = new Map<number, Map<string, PathMinute>>();
let newestMinute = 0;

export interface ExemplarCandidate {
  time: Date;
  srcPod: string | null;
  dstPod: string | null;
}

/**
 * The indexes of the events to keep as raw rows, given each one's drop path (cluster + id),
 * taking from this process's budget of `perPathMinute` per drop path and minute (null: keep all).
 */
export function chooseExemplars(events: readonly ExemplarCandidate[], paths: readonly { key: string }[], perPathMinute: number | null): number[] {
  if (perPathMinute === null) return events.map((_, i) => i);
  const open = Math.ceil(perPathMinute / 2);
  const chosen: number[] = [];
  for (let i = 0; i < events.length; i++) {
    const e = events[i] as ExemplarCandidate;
    const minute = Math.floor(e.time.getTime() / MINUTE_MS) * MINUTE_MS;
    let ofMinute = budgets.get(minute);
    if (ofMinute === undefined) {
      budgets.set(minute, (ofMinute = new Map()));
      if (minute > newestMinute) forgetBefore((newestMinute = minute) - KEEP_MINUTES * MINUTE_MS);
    }
    const pathKey = (paths[i] as { key: string }).key;
    let budget = ofMinute.get(pathKey);
    if (budget === undefined) ofMinute.set(pathKey, (budget = { kept: 0, podPairs: new Set() }));
    if (budget.kept >= perPathMinute) continue;
    const podPair = `${e.srcPod}\u001f${e.dstPod}`;
    if (budget.kept >= open && budget.podPairs.has(podPair)) continue;
    budget.kept++;
    budget.podPairs.add(podPair);
    chosen.push(i);
  }
  return chosen;
}

function forgetBefore(oldest: number): void {
  for (const minute of budgets.keys()) if (minute < oldest) budgets.delete(minute);
}

/** Forgets every budget (tests). */
export function resetExemplarBudgets(): void {
  budgets.clear();
  newestMinute = 0;
}
