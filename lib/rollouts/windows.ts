// The time windows a stage is judged over. Pure: "now" and the rollout's transitions come in.
//
// - The stage: from its transition's minute to the next transition, or now, or the end of the
//   soak (ENFORCED runs `soakMinutes`, then the rollout is complete and its figures stop moving).
// - Drops/min now: the last NOW_WINDOW_MINUTES whole minutes of the stage; rates count whole
//   minutes only (the current minute is still filling), paths count up to the end.
// - The baseline does not move: the `baselineMinutes` (default 24 h) before the rollout's FIRST
//   enforcing transition (its first transition when nothing has enforced yet), starting no earlier
//   than the first data from its clusters (so it is divided by the minutes actually read). A baseline
//   that followed the stage would, after a rollback and a retry, swallow the first canary's drops.
import type { TimeRange } from "../queries/timeRange";
import { ENFORCING_STAGES, type RolloutStage } from "./stages";
import { NOW_WINDOW_MINUTES } from "./verdict";

const MINUTE_MS = 60_000;
export const DEFAULT_BASELINE_MINUTES = 24 * 60;
export const DEFAULT_SOAK_MINUTES = 24 * 60;

export interface TransitionTimes {
  stage: RolloutStage;
  at: string;
}

export interface StageWindows {
  /** The transition's minute: rollups count whole minutes, so stage and baseline meet there. */
  start: Date;
  /** Where the stage's paths are read to: now, the next transition, or the soak's end. */
  end: Date;
  /** The figures no longer move: a past stage, or ENFORCED past its soak. */
  frozen: boolean;
  /** ENFORCED only: when its soak ends. */
  soakEnd: Date | null;
  /** Minutes since the transition itself (to `end`). */
  stageMinutes: number;
  /** Whole minutes the stage's rate is read over: [start, floor(end)). */
  rate: TimeRange;
  /** The last whole minutes of the stage: drops/min now. */
  now: TimeRange;
  /** The first enforcing transition's minute (or the first transition's): the baseline ends here. */
  anchor: Date;
  baseline: TimeRange;
}

const floorMinute = (ms: number) => Math.floor(ms / MINUTE_MS) * MINUTE_MS;
export const wholeMinutes = (range: TimeRange) => Math.max(0, Math.round((range.to.getTime() - range.from.getTime()) / MINUTE_MS));

export interface WindowSettings {
  baselineMinutes: number | null;
  soakMinutes: number | null;
  /** Earliest check-in of the rollout's clusters: no baseline before there was data. */
  dataSince: Date | null;
}

export function stageWindows(transitions: readonly TransitionTimes[], index: number, now: Date, settings: WindowSettings): StageWindows {
  const stage = transitions[index];
  if (!stage) throw new Error(`no transition ${index}`);
  const at = new Date(stage.at).getTime();
  const start = floorMinute(at);
  const next = transitions[index + 1];
  const soakEnd = stage.stage === "ENFORCED" ? at + (settings.soakMinutes ?? DEFAULT_SOAK_MINUTES) * MINUTE_MS : null;
  let end = next ? new Date(next.at).getTime() : now.getTime();
  if (soakEnd !== null && soakEnd < end) end = soakEnd;
  end = Math.max(end, at);
  const rateTo = Math.max(start, floorMinute(end));
  const nowFrom = Math.max(start, rateTo - NOW_WINDOW_MINUTES * MINUTE_MS);

  const firstEnforcing = transitions.find((t) => ENFORCING_STAGES.includes(t.stage)) ?? transitions[0] ?? stage;
  const anchor = floorMinute(new Date(firstEnforcing.at).getTime());
  const dataSince = settings.dataSince ? floorMinute(settings.dataSince.getTime()) : anchor;
  const baselineFrom = Math.min(anchor, Math.max(anchor - (settings.baselineMinutes ?? DEFAULT_BASELINE_MINUTES) * MINUTE_MS, dataSince));

  return {
    start: new Date(start),
    end: new Date(end),
    frozen: end < now.getTime(),
    soakEnd: soakEnd === null ? null : new Date(soakEnd),
    stageMinutes: (end - at) / MINUTE_MS,
    rate: { from: new Date(start), to: new Date(rateTo) },
    now: { from: new Date(nowFrom), to: new Date(rateTo) },
    anchor: new Date(anchor),
    baseline: { from: new Date(baselineFrom), to: new Date(anchor) },
  };
}
