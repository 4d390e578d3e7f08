"use client";
// One rollout: its verdict with the figures behind it, drops in scope with the stages drawn on
// them, the stage timeline and a form to record the next one, the surprise/expected/acknowledged
// drop paths, pre-flight for the next stage, and webhook deliveries. The URL carries the rollout,
// the judged stage and the time range, so the link shows the same thing to whoever opens it.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { parseAsInteger, useQueryState } from "nuqs";
import { useState, type FormEvent } from "react";
import type { RolloutDetail } from "@/lib/queries/rollouts/getRollout";
import type { RolloutHealth, StagePath } from "@/lib/queries/rollouts/getRolloutHealth";
import type { Preflight } from "@/lib/queries/rollouts/getPreflight";
import type { StageMarker } from "@/lib/queries/rollouts/getStageMarkers";
import { describeScope } from "@/lib/rollouts/scope";
import { allowedNextStages, type RolloutStage } from "@/lib/rollouts/stages";
import type { BudgetUse } from "@/lib/rollouts/verdict";
import { DropsChart } from "../charts/DropsChart";
import { TimeRangePicker } from "../filters/TimeRangePicker";
import { ViewActions } from "../filters/ViewActions";
import { rangeSelection, refreshMs, useDropView } from "../hooks/dropView";
import { fetchApi } from "../hooks/fetchApi";
import { useDropSeries } from "../hooks/useDropSeries";
import { useWriteToken, writeApi } from "../hooks/writeApi";
import { DropPathsTable } from "../tables/DropPathsTable";
import { formatCount, formatTime } from "../ui/format";
import { EmptyState, ErrorState, Skeleton } from "../ui/states";
import { StageBadge, VerdictBadge } from "./badges";
import { BudgetFields, budgetFromForm } from "./BudgetFields";
import { rolloutKeys, useNamespaceClasses } from "./RolloutsList";
import { WriteTokenField } from "./WriteTokenField";

const POLL_MS = 30_000;
const csv = (text: string) => text.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);
const round = (n: number) => (Math.abs(n) >= 100 ? Math.round(n).toString() : (Math.round(n * 100) / 100).toString());

export function RolloutPage({ id, initialName }: { id: string; initialName: string }) {
  const [view, setView] = useDropView();
  const [stage, setStage] = useQueryState("stage", parseAsInteger);
  const rollout = useQuery({
    queryKey: rolloutKeys.one(id),
    queryFn: ({ signal }) => fetchApi<RolloutDetail>(`/api/v1/rollouts/${id}`, {}, signal),
    refetchInterval: POLL_MS,
  });
  const health = useQuery({
    queryKey: rolloutKeys.health(id, stage),
    queryFn: ({ signal }) => fetchApi<RolloutHealth>(`/api/v1/rollouts/${id}/health`, { stage }, signal),
    refetchInterval: POLL_MS,
  });
  const scopeNamespaces = health.data?.scopeNamespaces;
  const series = useDropSeries(
    {
      selection: rangeSelection(view),
      groupBy: "verdict",
      cluster: rollout.data?.clusters ?? [],
      namespace: scopeNamespaces ?? [],
    },
    refreshMs(view) || POLL_MS,
  );
  const r = rollout.data;
  const transitions = r?.transitions ?? [];
  const markers: StageMarker[] = transitions.map((t) => ({ ...t, rolloutId: id, rolloutName: r?.name ?? initialName }));
  const bands = transitions.map((t, i) => ({
    stage: t.stage,
    from: new Date(t.at).getTime(),
    to: new Date(transitions[i + 1]?.at ?? Date.parse(series.data?.to ?? t.at)).getTime(),
  }));

  return (
    <main className="page">
      <div className="breadcrumb">
        <Link href="/rollouts">Rollouts</Link> / rollout
      </div>
      <h1 className="page-title">{r?.name ?? initialName}</h1>
      {r && (
        <p className="muted rollout-meta">
          {r.owner && <>owner {r.owner} · </>}
          {r.policies.length > 0 && <>policies {r.policies.join(", ")} · </>}
          clusters {r.clusters.length > 0 ? r.clusters.join(", ") : "all"}
          {r.changeUrl && (
            <>
              {" · "}
              <a href={r.changeUrl} rel="noreferrer noopener" target="_blank">
                the change
              </a>
            </>
          )}
          {r.description && <> · {r.description}</>}
        </p>
      )}
      <div className="toolbar">
        <TimeRangePicker />
        <ViewActions />
      </div>
      <WriteTokenField />

      <section className="panel" aria-label="Health">
        <header className="panel-header">
          <h2>Health</h2>
          {transitions.length > 1 && (
            <label className="select-label">
              judge stage
              <select value={stage ?? ""} onChange={(e) => void setStage(e.target.value === "" ? null : Number(e.target.value))}>
                <option value="">current</option>
                {transitions.map((t) => (
                  <option key={t.seq} value={t.seq}>
                    #{t.seq} {t.stage} · {formatTime(t.at)}
                  </option>
                ))}
              </select>
            </label>
          )}
        </header>
        {health.isError ? (
          <ErrorState message={health.error.message} onRetry={() => void health.refetch()} />
        ) : !health.data ? (
          <Skeleton height={120} label="Judging the stage" />
        ) : (
          <HealthSummary health={health.data} budget={health.data.budget} />
        )}
      </section>

      <section className="panel" aria-label="Drops in scope">
        <header className="panel-header">
          <h2>Drops in scope {series.data && scopeNamespaces?.length !== 0 ? `· ${formatCount(series.data.total)}` : ""}</h2>
          {transitions[0] && (
            <button
              type="button"
              className="button"
              onClick={() => {
                const first = new Date(transitions[0]?.at ?? Date.now()).getTime();
                void setView({ from: new Date(first - 3_600_000).toISOString(), to: new Date().toISOString() });
              }}
            >
              Whole rollout
            </button>
          )}
        </header>
        {scopeNamespaces?.length === 0 ? (
          <EmptyState title="No namespace in this stage's scope has had a drop yet." />
        ) : series.isError ? (
          <ErrorState message={series.error.message} onRetry={() => void series.refetch()} />
        ) : !series.data || !health.data ? (
          <Skeleton height={260} />
        ) : (
          <DropsChart
            result={series.data}
            height={260}
            label="Drops in scope by verdict"
            markers={markers}
            bands={bands}
            onZoom={(from, to) => void setView({ from: from.toISOString(), to: to.toISOString() })}
          />
        )}
      </section>

      <div className="two-col">
        <section className="panel" aria-label="Stages">
          <h2>Stages</h2>
          {transitions.length === 0 ? (
            <p className="muted">No stage yet: record OBSERVE (audit mode) or go straight to a CANARY.</p>
          ) : (
            <ol className="timeline" aria-label="Stage timeline">
              {transitions.map((t) => (
                <li key={t.seq}>
                  <span className="muted">#{t.seq}</span> <StageBadge stage={t.stage} /> <span>{describeScope(t)}</span>
                  <span className="muted">
                    {formatTime(t.at)} UTC · {t.actor}
                    {t.note ? ` · ${t.note}` : ""}
                  </span>
                </li>
              ))}
            </ol>
          )}
          {/* Remounted after each transition, so the prefilled scope is the new current one. */}
          {r && <TransitionForm key={r.currentStage?.seq ?? 0} rollout={r} />}
        </section>
        <PreflightPanel id={id} />
      </div>

      {health.data && health.data.figures && (
        <>
          <PathsPanel title="Surprises" note="enforced now, never seen as AUDIT in scope: what breaks applications" paths={health.data.surprises} id={id} action="ack" />
          <PathsPanel title="Expected" note="enforced now, predicted by AUDIT drops in scope before the stage" paths={health.data.expected} id={id} />
          <PathsPanel title="Acknowledged" note="known noise, out of the budget" paths={health.data.acknowledged} id={id} action="unack" />
        </>
      )}

      {r && r.webhookUrl && <Deliveries rollout={r} />}
      {r && <RolloutSettings key={r.updatedAt} rollout={r} />}
    </main>
  );
}

function HealthSummary({ health, budget }: { health: RolloutHealth; budget: BudgetUse[] }) {
  const f = health.figures;
  return (
    <div className="health">
      <p>
        <VerdictBadge verdict={health.verdict} />{" "}
        {health.stage && (
          <span>
            <StageBadge stage={health.stage.stage} /> on {describeScope(health.stage)} since {formatTime(health.stage.at)} UTC
            {f ? ` (${round(f.stageMinutes)} min)` : ""}
          </span>
        )}
      </p>
      <ul className="reasons" aria-label="Why">
        {health.reasons.map((reason) => (
          <li key={reason}>{reason}</li>
        ))}
      </ul>
      {f && (
        <div className="figures" aria-label="Figures">
          <Figure label="drops/min now" value={round(f.currentRatePerMin)} note={`${formatCount(f.currentDrops)} drops`} />
          <Figure label={`drops/min baseline (${round(f.baselineMinutes)} min before)`} value={round(f.baselineRatePerMin)} note={`${formatCount(f.baselineDrops)} drops`} />
          <Figure label="surprise paths" value={String(f.surprises)} use={budget.find((b) => b.name === "newPaths")} />
          <Figure label="extra drops/min" value={round(Math.max(0, f.extraDropsPerMin))} use={budget.find((b) => b.name === "extraDropsPerMin")} />
          <Figure label="change vs baseline" value={f.increasePct === null ? "n/a" : `${f.increasePct >= 0 ? "+" : ""}${round(f.increasePct)}%`} use={budget.find((b) => b.name === "increasePct")} />
          <Figure label="expected / acknowledged paths" value={`${f.expected} / ${f.acknowledged}`} />
        </div>
      )}
    </div>
  );
}

const METER_COLORS = { ok: "#22c55e", at_risk: "#eab308", breached: "#ef4444" } as const;

function Figure({ label, value, note, use }: { label: string; value: string; note?: string; use?: BudgetUse }) {
  const used = use ? (use.used === null || !Number.isFinite(use.used) ? 1 : Math.min(1, use.used)) : null;
  return (
    <div className="figure">
      <span className="label">{label}</span>
      <span className="value">{value}</span>
      {note && <span className="muted">{note}</span>}
      {use && (
        <>
          <span className="muted">
            budget {use.limit} · {use.state.replace("_", " ")}
          </span>
          <span className="meter" role="meter" aria-valuemin={0} aria-valuemax={1} aria-valuenow={used ?? 0} aria-label={`${label} against its budget`}>
            <span style={{ width: `${(used ?? 0) * 100}%`, background: METER_COLORS[use.state] }} />
          </span>
        </>
      )}
    </div>
  );
}

function TransitionForm({ rollout }: { rollout: RolloutDetail }) {
  const queryClient = useQueryClient();
  const token = useWriteToken();
  const classes = useNamespaceClasses();
  const allowed = allowedNextStages(rollout.currentStage?.stage ?? null);
  const [pending, setPending] = useState<{ stage: RolloutStage; namespaces: string[]; classes: string[]; note: string; at: string } | null>(null);
  const record = useMutation({
    mutationFn: (body: unknown) => writeApi(`/api/v1/rollouts/${rollout.id}/stages`, "POST", body),
    onSuccess: () => {
      setPending(null);
      void queryClient.invalidateQueries({ queryKey: rolloutKeys.all });
      void queryClient.invalidateQueries({ queryKey: ["rollouts", "markers"] });
    },
  });
  function review(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const at = String(form.get("at") ?? "");
    setPending({
      stage: String(form.get("stage")) as RolloutStage,
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
      <div className="form-grid">
        <label>
          Stage
          <select name="stage" defaultValue={allowed[0]}>
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
      </div>
      {pending && (
        <div className="confirm" role="alertdialog" aria-label="Confirm the transition">
          <span>
            Record <StageBadge stage={pending.stage} /> on {describeScope(pending)} {pending.at ? `at ${formatTime(pending.at)} UTC` : "now"}?
          </span>
          <button
            type="button"
            className="button"
            onClick={() =>
              record.mutate({
                stage: pending.stage,
                namespaces: pending.namespaces,
                classes: pending.classes,
                ...(pending.note ? { note: pending.note } : {}),
                ...(pending.at ? { at: pending.at } : {}),
              })
            }
            disabled={record.isPending}
          >
            Confirm
          </button>
          <button type="button" className="link-button" onClick={() => setPending(null)}>
            Cancel
          </button>
        </div>
      )}
      {record.isError && (
        <p className="form-error" role="alert">
          {record.error.message}
        </p>
      )}
    </form>
  );
}

function PathsPanel({ title, note, paths, id, action }: { title: string; note: string; paths: StagePath[]; id: string; action?: "ack" | "unack" }) {
  const queryClient = useQueryClient();
  const token = useWriteToken();
  const [acking, setAcking] = useState<string | null>(null);
  const [reason, setReason] = useState("");
  const done = () => {
    setAcking(null);
    setReason("");
    void queryClient.invalidateQueries({ queryKey: rolloutKeys.health(id, null).slice(0, 3) });
  };
  const ack = useMutation({ mutationFn: (p: StagePath) => writeApi("/api/v1/acknowledgements", "POST", { cluster: p.cluster, pathId: p.id, reason }), onSuccess: done });
  const unack = useMutation({
    mutationFn: (p: StagePath) => writeApi(`/api/v1/acknowledgements?cluster=${encodeURIComponent(p.cluster)}&pathId=${p.id}`, "DELETE"),
    onSuccess: done,
  });
  const error = ack.error ?? unack.error;
  return (
    <section className="panel" aria-label={title}>
      <header className="panel-header">
        <h2>
          {title} · {paths.length}
        </h2>
        <span className="muted">{note}</span>
      </header>
      {paths.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <DropPathsTable
          paths={paths}
          label={`${title} drop paths`}
          actions={
            action && token
              ? (p) =>
                  action === "unack" ? (
                    <button type="button" className="link-button" title={`${p.acknowledgement?.reason ?? ""} (${p.acknowledgement?.actor ?? ""})`} onClick={() => unack.mutate(p)}>
                      Unacknowledge
                    </button>
                  ) : acking === p.id ? (
                    <form
                      className="form-actions"
                      onSubmit={(e) => {
                        e.preventDefault();
                        if (reason.trim()) ack.mutate(p);
                      }}
                    >
                      <input type="text" aria-label="Why is this known noise?" placeholder="why: scanner, probe…" value={reason} onChange={(e) => setReason(e.target.value)} autoFocus />
                      <button type="submit" className="button">
                        Save
                      </button>
                    </form>
                  ) : (
                    <button type="button" className="link-button" onClick={() => setAcking(p.id)}>
                      Acknowledge
                    </button>
                  )
              : undefined
          }
        />
      )}
      {error && (
        <p className="form-error" role="alert">
          {error.message}
        </p>
      )}
    </section>
  );
}

function PreflightPanel({ id }: { id: string }) {
  const classes = useNamespaceClasses();
  const [asked, setAsked] = useState<{ namespaces: string; classes: string; hours: number } | null>(null);
  const preflight = useQuery({
    queryKey: rolloutKeys.preflight(id, asked?.namespaces ?? "", asked?.classes ?? "", asked?.hours ?? 24),
    queryFn: ({ signal }) => fetchApi<Preflight>(`/api/v1/rollouts/${id}/preflight`, { namespaces: asked?.namespaces, classes: asked?.classes, hours: asked?.hours }, signal),
    enabled: asked !== null,
  });
  return (
    <section className="panel" aria-label="Pre-flight">
      <h2>Pre-flight</h2>
      <p className="muted">Before promoting: the drop paths already seen as AUDIT in the next stage&apos;s scope. Promoting would start dropping these.</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const form = new FormData(e.currentTarget);
          setAsked({ namespaces: csv(String(form.get("namespaces") ?? "")).join(","), classes: form.getAll("classes").map(String).join(","), hours: Number(form.get("hours") ?? 24) });
        }}
      >
        <div className="form-grid">
          <label>
            Namespaces
            <input type="text" name="namespaces" placeholder="empty with no class: everywhere" />
          </label>
          <label>
            Classes
            <select name="classes" multiple size={Math.min(4, Math.max(2, classes.data?.classes.length ?? 0))}>
              {classes.data?.classes.map((c) => (
                <option key={c.name}>{c.name}</option>
              ))}
            </select>
          </label>
          <label>
            Looking back (hours)
            <input type="number" name="hours" min={1} max={720} defaultValue={24} />
          </label>
        </div>
        <button type="submit" className="button">
          Check
        </button>
      </form>
      {preflight.isError && <ErrorState message={preflight.error.message} />}
      {preflight.data && (
        <div aria-label="Pre-flight result">
          <p>
            <strong>{preflight.data.wouldDrop.length}</strong> path(s), {formatCount(preflight.data.auditDrops)} AUDIT drops in the last {asked?.hours} h
            {preflight.data.acknowledged.length > 0 ? ` (${preflight.data.acknowledged.length} acknowledged left out)` : ""}.
          </p>
          {preflight.data.wouldDrop.length > 0 && <DropPathsTable paths={preflight.data.wouldDrop} label="Would start dropping" />}
        </div>
      )}
    </section>
  );
}

function Deliveries({ rollout }: { rollout: RolloutDetail }) {
  return (
    <section className="panel" aria-label="Webhook deliveries">
      <header className="panel-header">
        <h2>Webhook deliveries</h2>
        <span className="muted">{rollout.webhookUrl}</span>
      </header>
      {rollout.deliveries.length === 0 ? (
        <p className="muted">No verdict change announced yet.</p>
      ) : (
        <table className="table" aria-label="Webhook deliveries">
          <thead>
            <tr>
              <th scope="col">queued</th>
              <th scope="col">verdict</th>
              <th scope="col" className="num">attempts</th>
              <th scope="col">result</th>
            </tr>
          </thead>
          <tbody>
            {rollout.deliveries.map((d) => (
              <tr key={d.id}>
                <td className="muted">{formatTime(d.createdAt)} UTC</td>
                <td>
                  <VerdictBadge verdict={d.verdict} />
                </td>
                <td className="num">{d.attempts}</td>
                <td className={d.deliveredAt ? "" : "form-error"}>
                  {d.deliveredAt
                    ? `delivered ${formatTime(d.deliveredAt)} UTC (HTTP ${d.lastStatus ?? "?"})`
                    : d.nextAttemptAt
                      ? `failing: ${d.lastError ?? "not tried yet"}; next try ${formatTime(d.nextAttemptAt)} UTC`
                      : `gave up: ${d.lastError ?? "unknown error"}`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Budget, webhook and description, editable; and deleting the rollout (with confirmation). */
function RolloutSettings({ rollout }: { rollout: RolloutDetail }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const token = useWriteToken();
  const [confirmDelete, setConfirmDelete] = useState(false);
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
    save.mutate({
      owner: text("owner"),
      description: text("description"),
      webhookUrl: text("webhookUrl") || null,
      ...budgetFromForm(form),
    });
  }
  return (
    <section className="panel" aria-label="Settings">
      <details>
        <summary>
          <h2 className="inline-heading">Budget and settings</h2>
        </summary>
        <form onSubmit={submit} aria-label="Rollout settings">
          <div className="form-grid">
            <BudgetFields budget={rollout.budget} baselineMinutes={rollout.baselineMinutes} />
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
          {(save.error ?? remove.error) && (
            <p className="form-error" role="alert">
              {(save.error ?? remove.error)?.message}
            </p>
          )}
        </form>
      </details>
    </section>
  );
}
