"use client";
// One rollout: its verdict with the figures behind it (drops, application errors, proof of
// enforcement), drops in scope with the stages drawn on them and the error ratio under them, the
// stage timeline and a form to record the next one, the still-audited/surprise/expected/
// acknowledged drop paths (and those of other policies), the exceptions that apply, pre-flight for
// the next stage, webhook deliveries and settings. The URL carries the rollout, the judged stage and the time range, so the link shows
// the same thing to whoever opens it. Each panel is its own file.
import Link from "next/link";
import { useQueryState } from "nuqs";
import { judgedStageParser } from "@/app/(dashboard)/rollouts/[id]/search-params";
import type { RolloutDetail } from "@/lib/queries/rollouts/getRollout";
import { TimeRangePicker } from "../filters/TimeRangePicker";
import { ViewActions } from "../filters/ViewActions";
import { useDropView, useViewWindow } from "../hooks/dropView";
import { useRollout } from "../hooks/useRollout";
import { useRolloutHealth } from "../hooks/useRolloutHealth";
import { ErrorState, Skeleton } from "../ui/states";
import { ExceptionsPanel } from "./ExceptionsPanel";
import { HealthPanel } from "./HealthPanel";
import { PathsPanel } from "./PathsPanel";
import { PreflightPanel } from "./PreflightPanel";
import { RolloutSettings } from "./RolloutSettings";
import { ScopeDropsPanel } from "./ScopeDropsPanel";
import { StagesPanel } from "./StagesPanel";
import { WebhookDeliveries } from "./WebhookDeliveries";
import { WriteTokenField } from "./WriteTokenField";

export function RolloutPage({ id, initialName }: { id: string; initialName: string }) {
  const [stage, setStage] = useQueryState("stage", judgedStageParser);
  const [view] = useDropView();
  // The one window every chart of the page covers (whole buckets), which a copied link pins.
  const shown = useViewWindow(view);
  const rollout = useRollout(id);
  const health = useRolloutHealth(id, stage);
  const r = rollout.data;
  const h = health.data;
  const name = r?.name ?? initialName;
  const paths = { rolloutId: id, rolloutName: name, now: h?.evaluatedAt ?? "" };

  return (
    <main className="page">
      <div className="breadcrumb">
        <Link prefetch={false} href="/rollouts">Rollouts</Link> / rollout
      </div>
      <h1 className="page-title">{name}</h1>
      {r && <RolloutMeta rollout={r} />}
      <div className="toolbar">
        <TimeRangePicker shown={shown} />
        <ViewActions shown={shown} />
      </div>
      <WriteTokenField />

      <HealthPanel health={health} rollout={r} stage={stage} onStage={(seq) => void setStage(seq)} />
      <ScopeDropsPanel
        id={id}
        rollout={r}
        name={name}
        stage={stage}
        scopeNamespaces={h?.scopeNamespaces}
        baselineErrorRatio={h?.figures?.errors?.baselineRatio ?? null}
        shown={shown}
      />

      {rollout.isError ? (
        <ErrorState message={rollout.error.message} onRetry={() => void rollout.refetch()} />
      ) : !r ? (
        <Skeleton height={200} label="Loading the rollout" />
      ) : (
        <div className="two-col">
          <StagesPanel rollout={r} />
          <PreflightPanel rolloutId={id} />
        </div>
      )}

      {h?.figures && (
        <>
          {(h.figures.enforcement?.stillAudited ?? 0) > 0 && (
            <PathsPanel
              {...paths}
              title="Still only audited"
              note="predicted by audit mode, still arriving as AUDIT after the grace period, never as DROPPED: is the policy still in audit mode?"
              paths={h.stillAudited}
              action="exception"
              testId="still-audited-paths"
            />
          )}
          <PathsPanel {...paths} title="Surprises" note="enforced now, never seen as AUDIT in scope: what breaks applications" paths={h.surprises} action="exception" />
          <PathsPanel {...paths} title="Expected" note="enforced now, predicted by AUDIT drops in scope before the stage" paths={h.expected} />
          <PathsPanel {...paths} title="Acknowledged" note="exceptions in force: out of the budget until they expire" paths={h.acknowledged} action="remove" />
          <PathsPanel {...paths} title="Other policies" note="denied only by policies outside this rollout: shown, out of the budget" paths={h.otherPolicies} anchor="other-policies" />
        </>
      )}
      <ExceptionsPanel rolloutId={id} rolloutName={name} health={h} />

      {r?.webhookUrl && <WebhookDeliveries rollout={r} />}
      {r && <RolloutSettings rollout={r} />}
    </main>
  );
}

function RolloutMeta({ rollout: r }: { rollout: RolloutDetail }) {
  return (
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
  );
}
