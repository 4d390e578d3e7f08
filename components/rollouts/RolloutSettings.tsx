"use client";
// Budget, baseline and soak, the application error budget (query, limits, Prometheus) and the
// enforcement grace period, webhook and description, editable; and deleting the rollout (with confirmation).
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useState, type FormEvent } from "react";
import type { RolloutDetail } from "@/lib/queries/rollouts/getRollout";
import { rolloutKeys } from "../hooks/rolloutKeys";
import { useWriteToken, writeApi } from "../hooks/writeApi";
import { BudgetFields, budgetFromForm } from "./BudgetFields";
import { ErrorBudgetFields, errorBudgetFromForm } from "./ErrorBudgetFields";

export function RolloutSettings({ rollout }: { rollout: RolloutDetail }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const token = useWriteToken();
  const [confirmDelete, setConfirmDelete] = useState(false);
  // Open state and the save's outcome live here, across the form's remount after a save.
  const [open, setOpen] = useState(false);
  // Links to #settings (from the health panel) open it.
  useEffect(() => {
    const follow = () => {
      if (window.location.hash === "#settings") setOpen(true);
    };
    follow();
    window.addEventListener("hashchange", follow);
    return () => window.removeEventListener("hashchange", follow);
  }, []);
  const save = useMutation({
    mutationFn: (body: unknown) => writeApi(`/api/v1/rollouts/${rollout.id}`, "PATCH", body),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: rolloutKeys.all }),
  });
  const remove = useMutation({
    mutationFn: () => writeApi(`/api/v1/rollouts/${rollout.id}`, "DELETE"),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: rolloutKeys.all });
      router.push("/rollouts");
    },
  });
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? "").trim();
    const drops = budgetFromForm(form);
    const errors = errorBudgetFromForm(form);
    save.mutate({
      owner: text("owner"),
      description: text("description"),
      webhookUrl: text("webhookUrl") || null,
      ...drops,
      ...errors,
      budget: { ...drops.budget, ...errors.budget },
    });
  }
  const error = save.error ?? remove.error;
  return (
    <section className="panel" aria-label="Settings" id="settings">
      <details open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
        <summary>
          <h2 className="inline-heading">Budget and settings</h2>
        </summary>
        {/* Remounted when the rollout changes, so the fields show what is saved. */}
        <form key={rollout.updatedAt} onSubmit={submit} aria-label="Rollout settings">
          <h3 className="subhead">Drop budget</h3>
          <div className="form-grid">
            <BudgetFields budget={rollout.budget} baselineMinutes={rollout.baselineMinutes} soakMinutes={rollout.soakMinutes} />
          </div>
          <h3 className="subhead">Application error budget and proof of enforcement</h3>
          <div className="form-grid">
            <ErrorBudgetFields rollout={rollout} />
          </div>
          <h3 className="subhead">About and notifications</h3>
          <div className="form-grid">
            <label>
              Owner
              <input type="text" name="owner" maxLength={200} defaultValue={rollout.owner ?? ""} />
            </label>
            <label className="wide">
              Webhook URL
              <input type="url" name="webhookUrl" defaultValue={rollout.webhookUrl ?? ""} placeholder="https://hooks.slack.com/services/…" />
            </label>
            <label className="wide">
              Description
              <textarea name="description" rows={2} maxLength={4000} defaultValue={rollout.description ?? ""} />
            </label>
          </div>
          <div className="form-actions">
            <button type="submit" className="button" disabled={!token || save.isPending}>
              Save
            </button>
            {save.isSuccess && <span className="muted">Saved.</span>}
            {!confirmDelete ? (
              <button type="button" className="link-button" disabled={!token} onClick={() => setConfirmDelete(true)}>
                Delete rollout…
              </button>
            ) : (
              <span className="confirm" role="alertdialog" aria-label="Confirm deleting the rollout">
                Delete this rollout, its stages and deliveries?{" "}
                <button type="button" className="button" onClick={() => remove.mutate()}>
                  Delete
                </button>
                <button type="button" className="link-button" onClick={() => setConfirmDelete(false)}>
                  Cancel
                </button>
              </span>
            )}
            {!token && <span className="muted">needs a write token (above)</span>}
          </div>
          {error && (
            <p className="form-error" role="alert">
              {error.message}
            </p>
          )}
        </form>
      </details>
    </section>
  );
}
