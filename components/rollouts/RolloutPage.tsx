"use client";
// One rollout: its verdict with the figures behind it, drops in scope with the stages drawn on
// them, the stage timeline and a form to record the next one, the surprise/expected/acknowledged
// drop paths (and those of other policies), pre-flight for the next stage, webhook deliveries and
// settings. The URL carries the rollout, the judged stage and the time range, so the link shows
// the same thing to whoever opens it. Each panel is its own file.
import Link from "next/link";
import { useQueryState } from "nuqs";
import { judgedStageParser } from "@/app/(dashboard)/rollouts/[id]/search-params";
import type { RolloutDetail } from "@/lib/queries/rollouts/getRollout";
import { TimeRangePicker } from "../filters/TimeRangePicker";
import { ViewActions } from "../filters/ViewActions";
import { useRollout } from "../hooks/useRollout";
import { useRolloutHealth } from "../hooks/useRolloutHealth";
import { ErrorState, Skeleton } from "../ui/states";
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
  const rollout = useRollout(id);
  const health = useRolloutHealth(id, stage);
  const r = rollout.data;
  const h = health.data;
  const name = r?.name ?? initialName;

  return (
    <main className="page">
      <div className="breadcrumb">
        <Link href="/rollouts">Rollouts</Link> / rollout
      </div>
      <h1 className="page-title">{name}</h1>
      {r && <RolloutMeta rollout={r} />}
      <div className="toolbar">
        <TimeRangePicker />
        <ViewActions />
      </div>
      <WriteTokenField />

      <HealthPanel health={health} rollout={r} stage={stage} onStage={(seq) => void setStage(seq)} />
      <ScopeDropsPanel rollout={r} name={name} scopeNamespaces={h?.scopeNamespaces} />

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
          <PathsPanel title="Surprises" note="enforced now, never seen as AUDIT in scope: what breaks applications" paths={h.surprises} rolloutId={id} action="ack" />
          <PathsPanel title="Expected" note="enforced now, predicted by AUDIT drops in scope before the stage" paths={h.expected} rolloutId={id} />
          <PathsPanel title="Acknowledged" note="known noise, out of the budget" paths={h.acknowledged} rolloutId={id} action="unack" />
          <PathsPanel title="Other policies" note="denied only by policies outside this rollout: shown, out of the budget" paths={h.otherPolicies} rolloutId={id} anchor="other-policies" />
        </>
      )}

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
