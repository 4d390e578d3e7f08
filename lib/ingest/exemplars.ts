// Which new events are kept as raw rows: at most N per drop path per minute (exemplars). Every
// event is still counted (rollups) and deduplicated (drop_event_keys); only the raw row is
// skipped, so storage stays bounded under a drop storm while every chart shows the same.
//
// The budget is this process's own: N per replica, and it starts afresh after a restart. That
// keeps the bound without a database round trip per batch; the bound is what matters, not N
// exactly.

const MINUTE_MS = 60_000;
/** Minutes older than the newest seen by this much are forgotten (late data is rare). */
const KEEP_MINUTES = 15;

// minute (epoch ms) -> path key -> exemplars kept
const kept = new Map<number, Map<string, number>>();
let newestMinute = 0;

export interface ExemplarCandidate {
  time: Date;
}

/**
 * The indexes of the events to keep as raw rows, given each one's drop path (cluster + id),
 * taking from this process's budget: the
 * first ones of each drop path and minute, up to `perPathMinute` (null: all of them).
 */
export function chooseExemplars(events: readonly ExemplarCandidate[], paths: readonly { key: string }[], perPathMinute: number | null): number[] {
  if (perPathMinute === null) return events.map((_, i) => i);
  const chosen: number[] = [];
  for (let i = 0; i < events.length; i++) {
    const e = events[i] as ExemplarCandidate;
    const minute = Math.floor(e.time.getTime() / MINUTE_MS) * MINUTE_MS;
    let keptOfMinute = kept.get(minute);
    if (keptOfMinute === undefined) {
      kept.set(minute, (keptOfMinute = new Map()));
      if (minute > newestMinute) forgetBefore((newestMinute = minute) - KEEP_MINUTES * MINUTE_MS);
    }
    const pathKey = (paths[i] as { key: string }).key;
    const count = keptOfMinute.get(pathKey) ?? 0;
    if (count < perPathMinute) {
      keptOfMinute.set(pathKey, count + 1);
      chosen.push(i);
    }
  }
  return chosen;
}

function forgetBefore(oldest: number): void {
  for (const minute of kept.keys()) if (minute < oldest) kept.delete(minute);
}

/** Forgets every budget (tests). */
export function resetExemplarBudgets(): void {
  kept.clear();
  newestMinute = 0;
}
