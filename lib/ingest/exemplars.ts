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

/** What one drop path kept in one minute. */
export interface ExemplarSlot {
  kept: number;
  /** The pod pairs kept so far (at most N). */
  podPairs: Set<string>;
  /** The last pod pair refused for being kept already. */
  refused?: [string | null, string | null];
}

export interface ExemplarCandidate {
  time: Date;
  srcPod: string | null;
  dstPod: string | null;
}

/**
 * A budget of raw events per drop path and minute. The server holds one per process (below); the
 * collector (lib/collector/aggregator.ts) holds its own, so the examples it sends are chosen by the
 * same rules before the server applies them again.
 */
export class ExemplarBudget {
  // minute (epoch ms) -> path key -> what was kept
  private readonly budgets = new Map<number, Map<string, ExemplarSlot>>();
  /** The wall-clock minute budgets were last aged at. */
  private agedAt = 0;
  /** Set when `keep` took from a minute older than the budgets' memory: `settle` forgets it. */
  private lateSince = Infinity;

  /**
   * The indexes of the events to keep as raw rows, given each one's drop path (any key naming it),
   * taking from this budget of `perPathMinute` per drop path and minute (null: keep all).
   * `now` (the wall clock) ages the budgets.
   */
  choose(events: readonly ExemplarCandidate[], paths: readonly { key: string }[], perPathMinute: number | null, now: number = Date.now()): number[] {
    if (perPathMinute === null) return events.map((_, i) => i);
    const chosen: number[] = [];
    const late = this.age(now);
    for (let i = 0; i < events.length; i++) {
      const e = events[i] as ExemplarCandidate;
      if (this.take(e, (paths[i] as { key: string }).key, perPathMinute, late)) chosen.push(i);
    }
    // A late batch (a spool sent after an outage) may span hours: its minutes' budgets end with it.
    if (late.seen) this.forgetBefore(late.oldest);
    return chosen;
  }

  /**
   * One event, for a caller that streams (the collector): true when it is kept. Minutes older than
   * the budgets' memory are held until `settle`, so a late stream still gets one budget per minute.
   */
  keep(event: ExemplarCandidate, pathKey: string, perPathMinute: number | null, now: number = Date.now()): boolean {
    if (perPathMinute === null) return true;
    return this.keepIn(this.slot(event.time.getTime(), pathKey, now), event, perPathMinute);
  }

  /**
   * The budget of one drop path in the minute of `timeMs`, for a caller that keeps it at hand (the
   * collector, per path-minute it gathers) and asks `keepIn` per event without looking it up again.
   */
  slot(timeMs: number, pathKey: string, now: number = Date.now()): ExemplarSlot {
    const late = this.age(now);
    const minute = Math.floor(timeMs / MINUTE_MS) * MINUTE_MS;
    let ofMinute = this.budgets.get(minute);
    if (ofMinute === undefined) this.budgets.set(minute, (ofMinute = new Map()));
    if (minute < late.oldest) this.lateSince = Math.min(this.lateSince, late.oldest);
    let budget = ofMinute.get(pathKey);
    if (budget === undefined) ofMinute.set(pathKey, (budget = { kept: 0, podPairs: new Set() }));
    return budget;
  }

  /** True when the event is kept, taking from its path-minute's budget (`slot`). */
  keepIn(slot: ExemplarSlot, e: ExemplarCandidate, perPathMinute: number): boolean {
    if (slot.kept >= perPathMinute) return false;
    const second = slot.kept >= Math.ceil(perPathMinute / 2);
    // A path whose one pod pair already filled the open half refuses it again and again: cheaply.
    if (second && slot.refused !== undefined && slot.refused[0] === e.srcPod && slot.refused[1] === e.dstPod) return false;
    const podPair = fieldsText([e.srcPod, e.dstPod]);
    if (second && slot.podPairs.has(podPair)) {
      slot.refused = [e.srcPod, e.dstPod];
      return false;
    }
    slot.kept++;
    slot.podPairs.add(podPair);
    return true;
  }

  /** Ends a batch of `keep` calls: late minutes' budgets end with it, as `choose` ends them. */
  settle(now: number = Date.now()): void {
    if (this.lateSince === Infinity) return;
    this.lateSince = Infinity;
    this.forgetBefore(this.age(now).oldest);
  }

  /** The minutes budgets are held for (tests). */
  minutes(): number[] {
    return [...this.budgets.keys()].sort((a, b) => a - b);
  }

  clear(): void {
    this.budgets.clear();
    this.agedAt = 0;
    this.lateSince = Infinity;
  }

  private age(now: number): { oldest: number; seen: boolean } {
    const nowMinute = now - (now % MINUTE_MS);
    const oldest = nowMinute - KEEP_MINUTES * MINUTE_MS;
    if (nowMinute !== this.agedAt) this.forgetBefore(oldest);
    this.agedAt = nowMinute;
    return { oldest, seen: false };
  }

  private take(e: ExemplarCandidate, pathKey: string, perPathMinute: number, late: { oldest: number; seen: boolean }): boolean {
    const minute = Math.floor(e.time.getTime() / MINUTE_MS) * MINUTE_MS;
    let ofMinute = this.budgets.get(minute);
    if (ofMinute === undefined) this.budgets.set(minute, (ofMinute = new Map()));
    if (minute < late.oldest) late.seen = true;
    let budget = ofMinute.get(pathKey);
    if (budget === undefined) ofMinute.set(pathKey, (budget = { kept: 0, podPairs: new Set() }));
    return this.keepIn(budget, e, perPathMinute);
  }

  private forgetBefore(oldest: number): void {
    for (const minute of this.budgets.keys()) if (minute < oldest) this.budgets.delete(minute);
  }
}

/** This server process's budget. */
const serverBudget = new ExemplarBudget();

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
  return serverBudget.choose(events, paths, perPathMinute, now);
}

/** Forgets every budget (tests). */
export function resetExemplarBudgets(): void {
  serverBudget.clear();
}

/** The minutes budgets are held for (tests). */
export function budgetMinutes(): number[] {
  return serverBudget.minutes();
}
