"use client";
// Drops in the judged stage's scope over the page's window, by verdict (AUDIT drops where the
// stage enforces hatched, as on every drops chart), with the rollout's stages as shaded bands and
// its transitions as dashed lines; under it, the applications' error ratio over the same window
// with the same bands.
import type { RolloutDetail } from "@/lib/queries/rollouts/getRollout";
import type { StageMarker } from "@/lib/queries/rollouts/getStageMarkers";
import type { ViewWindow } from "@/lib/queries/timeRange";
import { withStillAudited } from "../charts/chartData";
import { DropsChart } from "../charts/DropsChart";
import { rangeSelection, refreshMs, useDropView } from "../hooks/dropView";
import { windowKey } from "../hooks/fetchForRange";
import { useDropSeries } from "../hooks/useDropSeries";
import { ROLLOUT_POLL_MS } from "../hooks/useRollout";
import { useStillAudited } from "../hooks/useStillAudited";
import { formatCount } from "../ui/format";
import { EmptyState, ErrorState, Skeleton } from "../ui/states";
import { ErrorRatioSection } from "./ErrorRatioSection";

interface Props {
  id: string;
  rollout: RolloutDetail | undefined;
  name: string;
  /** The judged stage (null: the current one). */
  stage: number | null;
  /** The judged stage's namespaces (null: every namespace; undefined: not known yet). */
  scopeNamespaces: string[] | null | undefined;
  /** The fixed baseline's error ratio, when health read one. */
  baselineErrorRatio: number | null;
  /** The page's window (null until known in the browser). */
  shown: ViewWindow | null;
}

export function ScopeDropsPanel({ id, rollout, name, stage, scopeNamespaces, baselineErrorRatio, shown }: Props) {
  const [view, setView] = useDropView();
  const refetchInterval = refreshMs(view) || ROLLOUT_POLL_MS;
  const range = { selection: rangeSelection(view), window: shown ? windowKey(shown) : null };
  const scope = { cluster: rollout?.clusters ?? [], namespace: scopeNamespaces ?? [] };
  const series = useDropSeries({ ...range, ...scope, groupBy: "verdict" }, refetchInterval);
  const still = useStillAudited({ ...range, ...scope }, refetchInterval);
  const transitions = rollout?.transitions ?? [];
  const markers: StageMarker[] = transitions.map((t) => ({ ...t, rolloutId: rollout?.id ?? "", rolloutName: name }));
  const bands = transitions.map((t, i) => ({
    stage: t.stage,
    from: new Date(t.at).getTime(),
    to: new Date(transitions[i + 1]?.at ?? Date.parse(series.data?.to ?? t.at)).getTime(),
  }));
  // The error ratio is drawn over the drops chart's x range (its whole buckets), so the two line up.
  const domain: [number, number] | undefined = series.data ? [Date.parse(series.data.from), Date.parse(series.data.to)] : undefined;
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
      ) : series.isError && !series.data ? (
        <ErrorState message={series.error.message} onRetry={() => void series.refetch()} />
      ) : !series.data || scopeNamespaces === undefined ? (
        <Skeleton height={260} label="Loading drops in scope" />
      ) : (
        <DropsChart
          result={withStillAudited(series.data, still.data)}
          group="verdict"
          live={shown?.live}
          height={260}
          label="Drops in scope by verdict"
          markers={markers}
          bands={bands}
          onZoom={(from, to) => void setView({ from: from.toISOString(), to: to.toISOString() })}
        />
      )}
      <ErrorRatioSection
        id={id}
        rollout={rollout}
        stage={stage}
        range={range}
        refetchInterval={refetchInterval}
        domain={domain}
        bands={bands}
        baselineRatio={baselineErrorRatio}
      />
    </section>
  );
}
