"use client";
// The confirmation step of a transition. Promoting (EXPAND, ENFORCED) a stage that fails its gate
// (BREACHED, or NOT_ENFORCED: the policy still in audit mode) shows the verdict and its reasons,
// and stays disabled until an override reason is given.
import { useId, useState } from "react";
import type { RolloutHealth } from "@/lib/queries/rollouts/getRolloutHealth";
import { describeScope } from "@/lib/rollouts/scope";
import type { RolloutStage } from "@/lib/rollouts/stages";
import { formatTime } from "../ui/format";
import { StageBadge, VerdictBadge } from "./badges";

/** Stages that widen enforcement: the server refuses them over a failing verdict without an override. */
const PROMOTIONS: readonly RolloutStage[] = ["EXPAND", "ENFORCED"];

export interface PendingTransition {
  stage: RolloutStage;
  namespaces: string[];
  classes: string[];
  note: string;
  /** ISO time, or "" for now. */
  at: string;
}

interface Props {
  pending: PendingTransition;
  /** The current stage's health (undefined while it loads, or when it failed to). */
  health: RolloutHealth | undefined;
  checking: boolean;
  busy: boolean;
  onConfirm: (override: string | null) => void;
  onCancel: () => void;
}

export function TransitionConfirm({ pending, health, checking, busy, onConfirm, onCancel }: Props) {
  const id = useId();
  const [override, setOverride] = useState("");
  const promotion = PROMOTIONS.includes(pending.stage);
  const guarded = promotion && (health?.verdict === "BREACHED" || health?.verdict === "NOT_ENFORCED");
  const theatre = health?.verdict === "NOT_ENFORCED";
  const waiting = promotion && checking;
  const ready = !busy && !waiting && (!guarded || override.trim() !== "");
  return (
    <div className="confirm" role="alertdialog" aria-label="Confirm the transition">
      <span>
        Record <StageBadge stage={pending.stage} /> on {describeScope(pending)} {pending.at ? `at ${formatTime(pending.at)} UTC` : "now"}?
      </span>
      {guarded && health && (
        <div className="confirm-guard" aria-label="Promotion guard">
          <p>
            <VerdictBadge verdict={health.verdict} /> {health.stage && <StageBadge stage={health.stage.stage} />}{" "}
            {theatre
              ? "is not enforced: predicted paths still arrive as AUDIT. Promoting it widens a policy that is not doing what the stage says:"
              : "is breached. Promoting it anyway widens what is being broken:"}
          </p>
          <ul className="reasons">
            {health.reasons.map((reason) => (
              <li key={reason}>{reason}</li>
            ))}
          </ul>
          <label htmlFor={`${id}-override`}>Override reason (required; recorded with the transition)</label>
          <textarea
            id={`${id}-override`}
            rows={2}
            maxLength={2000}
            required
            autoFocus
            value={override}
            onChange={(e) => setOverride(e.target.value)}
            placeholder={`why promote over a ${health.verdict.replaceAll("_", " ")} verdict: incident, ticket, who approved`}
          />
        </div>
      )}
      {waiting && <span className="muted">checking the current verdict…</span>}
      <button type="button" className="button" onClick={() => onConfirm(guarded ? override.trim() : null)} disabled={!ready}>
        Confirm
      </button>
      <button type="button" className="link-button" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}
