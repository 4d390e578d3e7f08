"use client";
// The stage timeline (each transition with its scope as recorded, who, when, the note, and any
// promotion over a BREACHED verdict) and the form that records the next stage.
import type { RolloutDetail, StageTransition } from "@/lib/queries/rollouts/getRollout";
import { formatTime } from "../ui/format";
import { StageBadge } from "./badges";
import { TransitionForm } from "./TransitionForm";

export function StagesPanel({ rollout }: { rollout: RolloutDetail }) {
  const transitions = rollout.transitions;
  return (
    <section className="panel" aria-label="Stages">
      <h2>Stages</h2>
      {transitions.length === 0 ? (
        <p className="muted">No stage yet: record OBSERVE (audit mode) or go straight to a CANARY.</p>
      ) : (
        <ol className="timeline" aria-label="Stage timeline">
          {transitions.map((t) => (
            <TimelineEntry key={t.seq} transition={t} />
          ))}
        </ol>
      )}
      {/* Remounted after each transition, so the prefilled scope is the new current one. */}
      <TransitionForm key={rollout.currentStage?.seq ?? 0} rollout={rollout} />
    </section>
  );
}

function TimelineEntry({ transition: t }: { transition: StageTransition }) {
  const wholeCluster = t.namespaces.length === 0 && t.classes.length === 0;
  return (
    <li>
      <span className="muted">#{t.seq}</span> <StageBadge stage={t.stage} />{" "}
      <span>
        {wholeCluster ? "every namespace" : t.namespaces.join(", ")}
        {t.classes.map((name, i) => {
          const recorded = t.classPatterns.find((c) => c.name === name);
          return (
            <span key={name}>
              {i > 0 || t.namespaces.length > 0 ? ", " : ""}class {name}
              {recorded && recorded.patterns.length > 0 && (
                <span className="class-patterns" title="the class's patterns when this transition was recorded">
                  {" "}
                  (<code>{recorded.patterns.join(" ")}</code>)
                </span>
              )}
            </span>
          );
        })}
      </span>
      <span className="muted">
        {formatTime(t.at)} UTC · {t.actor}
        {t.note ? ` · ${t.note}` : ""}
      </span>
      {t.override && (
        <span className="override">
          <span aria-hidden>⚠ </span>
          <span data-testid="override">promoted over a BREACHED verdict: {t.override}</span>
        </span>
      )}
    </li>
  );
}
