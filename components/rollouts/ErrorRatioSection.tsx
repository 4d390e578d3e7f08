"use client";
// Under the drops in scope: the applications' error ratio over the same range, or why there is none
// (no error query, Prometheus unavailable, no data in the range), or that it is loading.
import type { RolloutDetail } from "@/lib/queries/rollouts/getRollout";
import type { RangeParams } from "../hooks/dropKeys";
import { useRolloutErrors } from "../hooks/useRolloutErrors";
import { EmptyState, ErrorState, Skeleton } from "../ui/states";
import { ErrorRatioChart, type StageBand } from "./ErrorRatioChart";

interface Props {
  id: string;
  rollout: RolloutDetail | undefined;
  /** The judged stage (null: the current one): its scope's namespaces fill `$namespaces`. */
  stage: number | null;
  /** The page's window (the drops chart's): both charts cover exactly the same span. */
  range: RangeParams;
  refetchInterval: number | false;
  /** The drops chart's x range (undefined until it has loaded). */
  domain: [number, number] | undefined;
  bands: StageBand[];
  baselineRatio: number | null;
}

const HEIGHT = 150;

export function ErrorRatioSection({ id, rollout, stage, range, refetchInterval, domain, bands, baselineRatio }: Props) {
  const errors = useRolloutErrors(id, stage, range, { enabled: Boolean(rollout?.errorQuery), refetchInterval });
  if (!rollout) return null;
  const title = <h3 className="subhead">Application error ratio · same range and stages</h3>;
  if (!rollout.errorQuery) {
    return (
      <p className="muted panel-note error-chart-none">
        No error query: with one (in <a href="#settings">the settings below</a>), the applications&apos; error ratio is drawn here under the drops.
      </p>
    );
  }
  const body = errors.isError ? (
    <ErrorState message={errors.error.message} onRetry={() => void errors.refetch()} />
  ) : !errors.data ? (
    <Skeleton height={HEIGHT} label="Asking Prometheus for the error ratio" />
  ) : errors.data.status === "unavailable" ? (
    <div className="signal-unavailable" role="note" data-testid="error-chart-unavailable">
      <p>
        <strong>Error ratio unavailable:</strong> {errors.data.detail}.
      </p>
    </div>
  ) : errors.data.status === "not-set" ? (
    <p className="muted">{errors.data.detail}</p>
  ) : errors.data.points.every((p) => p.ratio === null) ? (
    <EmptyState title={`No error ratio in this range: ${errors.data.detail}.`}>
      <p>Prometheus answered, but the query gave no number at any step (no requests in scope, or labels that do not match).</p>
    </EmptyState>
  ) : (
    <ErrorRatioChart
      series={errors.data}
      domain={domain ?? pointsDomain(errors.data.points, errors.data.stepSeconds)}
      bands={bands}
      transitions={rollout.transitions}
      budgetRatio={rollout.budget.maxErrorRatio ?? null}
      baselineRatio={baselineRatio}
      label="Application error ratio in scope"
      height={HEIGHT}
    />
  );
  return (
    <div aria-label="Application error ratio" aria-busy={errors.isFetching}>
      {title}
      {body}
    </div>
  );
}

function pointsDomain(points: { t: string }[], stepSeconds: number): [number, number] {
  const first = Date.parse(points[0]?.t ?? new Date(0).toISOString());
  const last = Date.parse(points.at(-1)?.t ?? new Date(0).toISOString());
  return [first - stepSeconds * 1000, last];
}
