"use client";
// Records the next stage, with a confirmation step. The promotion guard: while the current stage is
// BREACHED the form defaults to ROLLED_BACK; promoting (EXPAND, ENFORCED) a BREACHED or NOT_ENFORCED
// stage shows the verdict and needs an override reason, recorded with the transition. (NOT_ENFORCED
// does not default to a rollback: nothing breaks, the policy is still in audit mode.) The server
// refuses (409) such a promotion without a reason; its message is shown as it comes. Beside it, the
// other move: "Allow all surprises" (components/fixes).
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import type { RolloutDetail } from "@/lib/queries/rollouts/getRollout";
import { allowedNextStages, type RolloutStage } from "@/lib/rollouts/stages";
import { AllowSurprises } from "../fixes/AllowSurprises";
import { rolloutKeys } from "../hooks/rolloutKeys";
import { useNamespaceClasses } from "../hooks/useNamespaceClasses";
import { useRolloutHealth } from "../hooks/useRolloutHealth";
import { useWriteToken, writeApi } from "../hooks/writeApi";
import { TransitionConfirm, type PendingTransition } from "./TransitionConfirm";

const csv = (text: string) => text.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);

export function TransitionForm({ rollout }: { rollout: RolloutDetail }) {
  const queryClient = useQueryClient();
  const token = useWriteToken();
  const classes = useNamespaceClasses();
  // The guard judges the current stage, whichever stage the page is showing.
  const current = useRolloutHealth(rollout.id, null);
  const currentHealth = current.data?.stage?.seq === rollout.currentStage?.seq ? current.data : undefined;
  const breached = currentHealth?.verdict === "BREACHED";
  const notEnforced = currentHealth?.verdict === "NOT_ENFORCED";
  const allowed = allowedNextStages(rollout.currentStage?.stage ?? null);
  const [chosen, setChosen] = useState<RolloutStage | null>(null);
  const stage: RolloutStage = chosen ?? (breached && allowed.includes("ROLLED_BACK") ? "ROLLED_BACK" : (allowed[0] ?? "OBSERVE"));
  const [pending, setPending] = useState<PendingTransition | null>(null);
  const record = useMutation({
    mutationFn: (body: unknown) => writeApi(`/api/v1/rollouts/${rollout.id}/stages`, "POST", body),
    onSuccess: () => {
      setPending(null);
      void queryClient.invalidateQueries({ queryKey: rolloutKeys.all });
      void queryClient.invalidateQueries({ queryKey: ["rollouts", "markers"] });
    },
    // A refusal may mean the verdict changed since it was read: read it again.
    onError: () => void queryClient.invalidateQueries({ queryKey: rolloutKeys.healthOf(rollout.id) }),
  });

  function review(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const at = String(form.get("at") ?? "");
    record.reset();
    setPending({
      stage,
      namespaces: csv(String(form.get("namespaces") ?? "")),
      classes: form.getAll("classes").map(String),
      note: String(form.get("note") ?? "").trim(),
      at: at ? new Date(`${at}:00Z`).toISOString() : "",
    });
  }

  return (
    <form onSubmit={review} aria-label="Record a transition">
      <h3 className="subhead">Record the next stage</h3>
      <p className="muted">The scope is the whole scope of the new stage (prefilled with the current one); leave it empty for every namespace.</p>
      {breached && (
        <p className="guard-note" role="note">
          The current stage is <strong>BREACHED</strong>: rolling back is the default. Promoting it needs an override reason, recorded with the transition.
        </p>
      )}
      {notEnforced && (
        <p className="guard-note theatre-guard" role="note">
          The current stage is <strong>NOT ENFORCED</strong>: predicted paths still arrive as AUDIT (is the policy still in audit mode?). Promoting it needs an
          override reason, recorded with the transition.
        </p>
      )}
      <div className="form-grid">
        <label>
          Stage
          <select name="stage" value={stage} onChange={(e) => setChosen(e.target.value as RolloutStage)}>
            {allowed.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label title="The whole scope of the new stage: expanding keeps the namespaces already in it">
          Namespaces
          <input type="text" name="namespaces" placeholder="payments, checkout" defaultValue={rollout.currentStage?.namespaces.join(", ") ?? ""} />
        </label>
        <label>
          Classes
          <select key={classes.data?.classes.length ?? 0} name="classes" multiple defaultValue={rollout.currentStage?.classes ?? []} size={Math.min(4, Math.max(2, classes.data?.classes.length ?? 0))}>
            {classes.data?.classes.map((c) => (
              <option key={c.name} value={c.name}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label title="Leave empty for now; earlier times backdate the transition">
          When (UTC, optional)
          <input type="datetime-local" name="at" />
        </label>
        <label className="wide">
          Note
          <input type="text" name="note" maxLength={2000} placeholder="why, ticket, pipeline run" />
        </label>
      </div>
      <div className="form-actions">
        <button type="submit" className="button" disabled={!token}>
          Record transition…
        </button>
        {!token && <span className="muted">needs a write token (above)</span>}
        <AllowSurprises rolloutId={rollout.id} rolloutName={rollout.name} health={currentHealth} />
      </div>
      {pending && (
        <TransitionConfirm
          key={JSON.stringify(pending)}
          pending={pending}
          health={currentHealth}
          checking={current.isPending}
          busy={record.isPending}
          onConfirm={(override) =>
            record.mutate({
              stage: pending.stage,
              namespaces: pending.namespaces,
              classes: pending.classes,
              ...(pending.note ? { note: pending.note } : {}),
              ...(pending.at ? { at: pending.at } : {}),
              ...(override ? { override } : {}),
            })
          }
          onCancel={() => {
            setPending(null);
            record.reset();
          }}
        />
      )}
      {record.isError && (
        <p className="form-error" role="alert">
          {record.error.message}
        </p>
      )}
    </form>
  );
}
