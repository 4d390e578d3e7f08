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
import { fieldsText } from "./keys";

const MINUTE_MS = 60_000;
/**
 * Minutes older than this by the wall clock are forgotten (late data is rare; a late minute just
 * starts a fresh budget). Aged by the wall clock, not by the newest minute seen: a record stamped in
 * the future then holds only its own minute's budget, never every minute's until the clock catches up.
 */
const KEEP_MINUTES = 15;

interface PathMinute {
  kept: number;
  /** The pod pairs kept so far (at most N). */
  podPairs: Set<string>;
}

// minute (epoch ms) -> path key -> what was kept
const budgets = new Map<number, Map<string, PathMinute>>();
/** The wall-clock minute budgets were last aged at. */
let agedAt = 0;

export interface ExemplarCandidate {
  time: Date;
  srcPod: string | null;
  dstPod: string | null;
}

/**
 * The indexes of the events to keep as raw rows, given each one's drop path (cluster + id),
 * taking from this process's budget of `perPathMinute` per drop path and minute (null: keep all).
 * `now` (the wall clock) ages the budgets.
 */
export function chooseExemplars(
  events: readonly ExemplarCandidate[],
  paths: readonly { key: string }[],
  perPathMinute: number | null,
  now: number = Date.now(),
): number[] {
  if (perPathMinute === null) return events.map((_, i) => i);
  const nowMinute = now - (now % MINUTE_MS);
  const oldest = nowMinute - KEEP_MINUTES * MINUTE_MS;
  if (nowMinute !== agedAt) forgetBefore(oldest);
  agedAt = nowMinute;
  let late = false;
  const open = Math.ceil(perPathMinute / 2);
  const chosen: number[] = [];
  for (let i = 0; i < events.length; i++) {
    const e = events[i] as ExemplarCandidate;
    const minute = Math.floor(e.time.getTime() / MINUTE_MS) * MINUTE_MS;
    let ofMinute = budgets.get(minute);
    if (ofMinute === undefined) budgets.set(minute, (ofMinute = new Map()));
    if (minute < oldest) late = true;
    const pathKey = (paths[i] as { key: string }).key;
    let budget = ofMinute.get(pathKey);
    if (budget === undefined) ofMinute.set(pathKey, (budget = { kept: 0, podPairs: new Set() }));
    if (budget.kept >= perPathMinute) continue;
    const podPair = fieldsText([e.srcPod, e.dstPod]);
    if (budget.kept >= open && budget.podPairs.has(podPair)) continue;
    budget.kept++;
    budget.podPairs.add(podPair);
    chosen.push(i);
  }
  // A late batch (a spool sent after an outage) may span hours: its minutes' budgets end with it.
  if (late) forgetBefore(oldest);
  return chosen;
}

function forgetBefore(oldest: number): void {
  for (const minute of budgets.keys()) if (minute < oldest) budgets.delete(minute);
}

/** Forgets every budget (tests). */
export function resetExemplarBudgets(): void {
  budgets.clear();
  agedAt = 0;
}

/** The minutes budgets are held for (tests). */
export function budgetMinutes(): number[] {
  return [...budgets.keys()].sort((a, b) => a - b);
}
