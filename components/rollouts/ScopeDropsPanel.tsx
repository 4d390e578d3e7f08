"use client";
// Drops in the judged stage's scope over the view's range, by verdict, with the rollout's stages
// as shaded bands and its transitions as dashed lines.
import type { RolloutDetail } from "@/lib/queries/rollouts/getRollout";
import type { StageMarker } from "@/lib/queries/rollouts/getStageMarkers";
import { DropsChart } from "../charts/DropsChart";
import { rangeSelection, refreshMs, useDropView } from "../hooks/dropView";
import { useDropSeries } from "../hooks/useDropSeries";
import { ROLLOUT_POLL_MS } from "../hooks/useRollout";
import { formatCount } from "../ui/format";
import { EmptyState, ErrorState, Skeleton } from "../ui/states";

interface Props {
  rollout: RolloutDetail | undefined;
  name: string;
  /** The judged stage's namespaces (null: every namespace; undefined: not known yet). */
  scopeNamespaces: string[] | null | undefined;
}

export function ScopeDropsPanel({ rollout, name, scopeNamespaces }: Props) {
  const [view, setView] = useDropView();
  const series = useDropSeries(
    { selection: rangeSelection(view), groupBy: "verdict", cluster: rollout?.clusters ?? [], namespace: scopeNamespaces ?? [] },
    refreshMs(view) || ROLLOUT_POLL_MS,
  );
  const transitions = rollout?.transitions ?? [];
  const markers: StageMarker[] = transitions.map((t) => ({ ...t, rolloutId: rollout?.id ?? "", rolloutName: name }));
  const bands = transitions.map((t, i) => ({
    stage: t.stage,
    from: new Date(t.at).getTime(),
    to: new Date(transitions[i + 1]?.at ?? Date.parse(series.data?.to ?? t.at)).getTime(),
  }));
  const first = transitions[0];
  return (
    <section className="panel" aria-label="Drops in scope">
      <header className="panel-header">
        <h2>Drops in scope {series.data && scopeNamespaces?.length !== 0 ? `· ${formatCount(series.data.total)}` : ""}</h2>
        {first && (
          <button
            type="button"
            className="button"
            onClick={() => void setView({ from: new Date(new Date(first.at).getTime() - 3_600_000).toISOString(), to: new Date().toISOString() })}
          >
            Whole rollout
          </button>
        )}
      </header>
      <p className="muted panel-note">Every drop in the judged stage&apos;s namespaces, in budget or not; the figures above count only what the rollout can have caused.</p>
      {scopeNamespaces?.length === 0 ? (
        <EmptyState title="No namespace in this stage's scope has had a drop yet." />
      ) : series.isError ? (
        <ErrorState message={series.error.message} onRetry={() => void series.refetch()} />
      ) : !series.data || scopeNamespaces === undefined ? (
        <Skeleton height={260} label="Loading drops in scope" />
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
  );
}
