"use client";
// Rollouts: each with its current stage and last verdict, what needs someone first; a form for a new one; namespace classes.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import type { RolloutView } from "@/lib/queries/rollouts/getRollout";
import { rolloutKeys } from "../hooks/rolloutKeys";
import { useNamespaceClasses } from "../hooks/useNamespaceClasses";
import { useRollouts } from "../hooks/useRollouts";
import { writeApi } from "../hooks/writeApi";
import { EmptyState, ErrorState, Skeleton } from "../ui/states";
import { BudgetFields, budgetFromForm } from "./BudgetFields";
import { RolloutsTable } from "./RolloutsTable";
import { WriteTokenField } from "./WriteTokenField";

const csv = (text: string) => text.split(",").map((s) => s.trim()).filter(Boolean);

export function RolloutsList() {
  const rollouts = useRollouts();
  return (
    <main className="page">
      <div className="toolbar">
        <h1 className="page-title">Rollouts</h1>
        <WriteTokenField />
      </div>
      <section className="panel" aria-labelledby="rollouts-title">
        <div className="panel-header">
          <h2 id="rollouts-title">Policy rollouts</h2>
          <span className="muted">verdicts re-judged every 30 s</span>
        </div>
        {rollouts.isPending ? (
          <Skeleton height={120} label="Loading rollouts" />
        ) : rollouts.isError ? (
          <ErrorState message={rollouts.error.message} onRetry={() => void rollouts.refetch()} />
        ) : rollouts.data.rollouts.length === 0 ? (
          <EmptyState title="No rollout yet.">
            <p>A rollout takes one policy change through OBSERVE → CANARY → EXPAND → ENFORCED and judges each stage against a budget. Create one below, or from a pipeline with <code>POST /api/v1/rollouts</code>.</p>
          </EmptyState>
        ) : (
          <RolloutsTable rollouts={rollouts.data.rollouts} />
        )}
      </section>
      <div className="two-col">
        <NewRolloutForm />
        <NamespaceClasses />
      </div>
    </main>
  );
}

function NewRolloutForm() {
  const router = useRouter();
  const queryClient = useQueryClient();
  const create = useMutation({
    mutationFn: (body: unknown) => writeApi<RolloutView>("/api/v1/rollouts", "POST", body),
    onSuccess: (rollout) => {
      void queryClient.invalidateQueries({ queryKey: rolloutKeys.all });
      router.push(`/rollouts/${rollout.id}`);
    },
  });
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? "").trim();
    create.mutate({
      name: text("name"),
      ...(text("owner") ? { owner: text("owner") } : {}),
      ...(text("changeUrl") ? { changeUrl: text("changeUrl") } : {}),
      ...(text("description") ? { description: text("description") } : {}),
      policies: csv(text("policies")),
      clusters: csv(text("clusters")),
      ...budgetFromForm(form),
      ...(text("webhookUrl") ? { webhookUrl: text("webhookUrl") } : {}),
    });
  }
  return (
    <section className="panel" aria-labelledby="new-rollout-title">
      <h2 id="new-rollout-title">New rollout</h2>
      <form onSubmit={submit}>
        <div className="form-grid">
          <label className="wide">
            Name (the policy change)
            <input type="text" name="name" required maxLength={200} placeholder="default-deny for tier-2 namespaces" />
          </label>
          <label>
            Owner
            <input type="text" name="owner" maxLength={200} placeholder="team-platform" />
          </label>
          <label>
            Link to the change
            <input type="url" name="changeUrl" placeholder="https://git.example/pr/42" />
          </label>
          <label>
            Policies (comma-separated)
            <input type="text" name="policies" placeholder="payments/default-deny" />
          </label>
          <label>
            Clusters (empty: all)
            <input type="text" name="clusters" placeholder="prod-eu, prod-us" />
          </label>
          <BudgetFields budget={{ maxNewPaths: 0, maxExtraDropsPerMin: null, maxIncreasePct: null }} baselineMinutes={null} soakMinutes={null} />
          <label className="wide">
            Webhook URL (told when the verdict changes; Slack-compatible)
            <input type="url" name="webhookUrl" placeholder="https://hooks.slack.com/services/…" />
          </label>
          <label className="wide">
            Description
            <textarea name="description" rows={2} maxLength={4000} />
          </label>
        </div>
        <div className="form-actions">
          <button type="submit" className="button" disabled={create.isPending}>
            Create rollout
          </button>
          {create.isError && <span className="form-error" role="alert">{create.error.message}</span>}
        </div>
      </form>
    </section>
  );
}

function NamespaceClasses() {
  const classes = useNamespaceClasses();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: (body: unknown) => writeApi("/api/v1/classes", "POST", body),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: rolloutKeys.classes }),
    onError: (e) => setError(e.message),
  });
  return (
    <section className="panel" aria-labelledby="classes-title">
      <h2 id="classes-title">Namespace classes</h2>
      {classes.data && classes.data.classes.length > 0 ? (
        <ul className="timeline" aria-label="Namespace classes">
          {classes.data.classes.map((c) => (
            <li key={c.name}>
              <strong>{c.name}</strong> <code>{c.patterns.join(" ")}</code>
              {c.description && <span className="muted">{c.description}</span>}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">None yet. A class names a set of namespaces, e.g. tier-2 = <code>team-* !team-legacy</code>.</p>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setError(null);
          const form = new FormData(e.currentTarget);
          create.mutate({ name: String(form.get("name") ?? "").trim(), patterns: String(form.get("patterns") ?? "").split(/[\s,]+/).filter(Boolean) });
        }}
      >
        <div className="form-grid">
          <label>
            Class name
            <input type="text" name="name" required maxLength={100} placeholder="tier-2" />
          </label>
          <label>
            Patterns (space-separated, ! excludes)
            <input type="text" name="patterns" required placeholder="team-* !team-legacy" />
          </label>
        </div>
        <div className="form-actions">
          <button type="submit" className="button" disabled={create.isPending}>
            Add class
          </button>
          {error && <span className="form-error" role="alert">{error}</span>}
        </div>
      </form>
    </section>
  );
}
