"use client";
// Cluster, namespace, verdict, direction and reason filters; options come from what the range holds.
import { TRAFFIC_DIRECTIONS, VERDICTS } from "@/lib/ingest/types";
import type { SeriesGroup } from "@/lib/queries/drops/seriesGroups";
import type { WindowKey } from "../hooks/dropKeys";
import { useDropView } from "../hooks/dropView";
import { optionPolicyParams, optionSeriesParams } from "../hooks/filterOptions";
import { useDropSeries } from "../hooks/useDropSeries";
import { useTopPolicies } from "../hooks/useTopPolicies";
import { MultiSelect } from "./MultiSelect";

function useOptions(groupBy: SeriesGroup, window: WindowKey | null | undefined): string[] {
  const [view] = useDropView();
  const series = useDropSeries(optionSeriesParams(view, window, groupBy));
  return (series.data?.series ?? []).filter((s) => !s.other).map((s) => s.key);
}

/**
 * `fixedNamespace`: the page is one namespace's, so its filter is not offered. `window`: the page's
 * range (options are what it holds).
 */
export function FilterBar({ fixedNamespace = false, window }: { fixedNamespace?: boolean; window?: WindowKey | null }) {
  const [view, setView] = useDropView();
  const clusters = useOptions("cluster", window);
  const namespaces = useOptions("namespace", window);
  const reasons = useOptions("reason", window);
  const policies = (useTopPolicies(optionPolicyParams(view, window)).data?.policies ?? []).map((p) => p.policy);
  const active = view.cluster.length + view.namespace.length + view.verdict.length + view.direction.length + view.reason.length + view.policy.length;
  return (
    <div className="filter-bar" aria-label="Filters">
      <MultiSelect label="Cluster" options={clusters} selected={view.cluster} onChange={(cluster) => void setView({ cluster })} />
      {!fixedNamespace && <MultiSelect label="Namespace" options={namespaces} selected={view.namespace} onChange={(namespace) => void setView({ namespace })} />}
      <MultiSelect label="Verdict" options={VERDICTS} selected={view.verdict} onChange={(verdict) => void setView({ verdict: verdict as typeof view.verdict })} />
      <MultiSelect
        label="Direction"
        options={TRAFFIC_DIRECTIONS}
        selected={view.direction}
        onChange={(direction) => void setView({ direction: direction as typeof view.direction })}
      />
      <MultiSelect label="Reason" options={reasons} selected={view.reason} onChange={(reason) => void setView({ reason })} />
      <MultiSelect label="Policy" options={policies} selected={view.policy} onChange={(policy) => void setView({ policy })} />
      {active > 0 && (
        <button type="button" className="link-button" onClick={() => void setView({ cluster: [], namespace: [], verdict: [], direction: [], reason: [], policy: [] })}>
          Clear filters
        </button>
      )}
    </div>
  );
}
