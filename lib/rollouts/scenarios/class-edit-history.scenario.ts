// A transition's scope is resolved when it is recorded: editing the class afterwards does not
// rewrite the stage that used it (the canary on tier-2 still covers team-a).
import type { Scenario } from "../../testing/rolloutScenario";

export default {
  name: "a class edit does not rewrite a recorded stage",
  classes: [{ name: "tier-2", patterns: ["team-*", "!team-legacy"] }],
  rollout: { budget: { maxNewPaths: 0 } },
  streams: [
    { path: "web/frontend -> team-b/api", from: -180, to: 60 },
    { path: "web/frontend -> team-a/api", from: 5, to: 60 },
  ],
  steps: [
    { at: -120, transition: { stage: "OBSERVE", classes: ["tier-2"] } },
    { at: 0, transition: { stage: "CANARY", classes: ["tier-2"] } },
    { at: 6, expect: { verdict: "BREACHED", surprises: ["web/frontend -> team-a/api"] } },
    { at: 10, editClass: { name: "tier-2", patterns: ["payments"] } },
    { at: 11, expect: { verdict: "BREACHED", surprises: ["web/frontend -> team-a/api"] } },
  ],
} satisfies Scenario;
