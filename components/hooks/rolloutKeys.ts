// React Query keys for the rollout API, built in one place so every parameter is in the key.
import type { RangeParams } from "./dropKeys";

export interface PreflightAsk {
  namespaces: string;
  classes: string;
  hours: number;
}

export const rolloutKeys = {
  all: ["rollouts"] as const,
  list: () => [...rolloutKeys.all, "list"] as const,
  one: (id: string) => [...rolloutKeys.all, "one", id] as const,
  /** Every stage's health of one rollout (to invalidate them together). */
  healthOf: (id: string) => [...rolloutKeys.all, "health", id] as const,
  health: (id: string, stage: number | null) => [...rolloutKeys.healthOf(id), stage] as const,
  preflight: (id: string, ask: PreflightAsk) => [...rolloutKeys.all, "preflight", id, ask.namespaces, ask.classes, ask.hours] as const,
  /** The application error ratio over the page's window (else the view's range), for the judged stage's scope. */
  errors: (id: string, stage: number | null, range: RangeParams) =>
    [...rolloutKeys.all, "errors", id, stage, range.window ?? range.selection] as const,
  /** The exceptions that apply to one rollout (its own and every rollout's), expired ones too. */
  exceptions: (id: string) => [...rolloutKeys.all, "exceptions", id] as const,
  classes: ["classes"] as const,
};
