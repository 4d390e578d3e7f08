"use client";
// The application error budget part of the rollout's settings: the PromQL error-ratio query (with
// the README's queries for common metrics as presets), its limits in %, the Prometheus to ask, and
// the grace period before proof of enforcement is judged.
import { useId, useState } from "react";
import type { RolloutDetail } from "@/lib/queries/rollouts/getRollout";
import { ratioToPercentField } from "./ratioFormat";

/** The README's example queries: `$namespaces` and `$window` are filled in by Dropboard. */
export const ERROR_QUERY_PRESETS = [
  {
    name: "http_requests_total",
    title: "a plain counter with namespace and code labels",
    query: 'sum(rate(http_requests_total{namespace=~"$namespaces",code=~"5.."}[$window])) / sum(rate(http_requests_total{namespace=~"$namespaces"}[$window]))',
  },
  {
    name: "Istio",
    title: "Istio, server side",
    query:
      'sum(rate(istio_requests_total{reporter="destination",destination_workload_namespace=~"$namespaces",response_code=~"5.."}[$window])) / sum(rate(istio_requests_total{reporter="destination",destination_workload_namespace=~"$namespaces"}[$window]))',
  },
  {
    name: "ingress-nginx",
    title: "ingress-nginx",
    query: 'sum(rate(nginx_ingress_controller_requests{exported_namespace=~"$namespaces",status=~"5.."}[$window])) / sum(rate(nginx_ingress_controller_requests{exported_namespace=~"$namespaces"}[$window]))',
  },
] as const;

const numberOrNull = (value: FormDataEntryValue | null) => (value === null || String(value).trim() === "" ? null : Number(value));

export interface ErrorBudgetSettings {
  errorQuery: string | null;
  prometheusUrl: string | null;
  enforcementGraceMinutes: number | null;
  budget: { maxErrorRatio: number | null; maxErrorIncreasePct: number | null };
}

/** The fields as the API takes them: the ratio limit from % to 0..1; empty is none (or the default). */
export function errorBudgetFromForm(form: FormData): ErrorBudgetSettings {
  const text = (name: string) => String(form.get(name) ?? "").trim();
  const ratioPct = numberOrNull(form.get("maxErrorRatioPct"));
  return {
    errorQuery: text("errorQuery") || null,
    prometheusUrl: text("prometheusUrl") || null,
    enforcementGraceMinutes: numberOrNull(form.get("enforcementGraceMinutes")),
    budget: { maxErrorRatio: ratioPct === null ? null : ratioPct / 100, maxErrorIncreasePct: numberOrNull(form.get("maxErrorIncreasePct")) },
  };
}

export function ErrorBudgetFields({ rollout }: { rollout: RolloutDetail }) {
  const id = useId();
  const [query, setQuery] = useState(rollout.errorQuery ?? "");
  return (
    <>
      <div className="wide error-query-field">
        <label htmlFor={`${id}-query`}>Error query (PromQL: the error ratio 0..1 of the applications in scope)</label>
        <textarea
          id={`${id}-query`}
          name="errorQuery"
          rows={3}
          maxLength={4000}
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          placeholder='sum(rate(http_requests_total{namespace=~"$namespaces",code=~"5.."}[$window])) / sum(rate(http_requests_total{namespace=~"$namespaces"}[$window]))'
          aria-describedby={`${id}-query-hint`}
          spellCheck={false}
        />
        <span className="field-hint" id={`${id}-query-hint`}>
          <code>$namespaces</code> becomes a regex of the stage&apos;s namespaces, <code>$window</code> the window read (e.g. <code>15m</code>). Empty: no error budget.
        </span>
        <span className="preset-row" role="group" aria-label="Example queries">
          <span className="muted">examples:</span>
          {ERROR_QUERY_PRESETS.map((p) => (
            <button key={p.name} type="button" className="chip" title={p.title} onClick={() => setQuery(p.query)}>
              {p.name}
            </button>
          ))}
        </span>
      </div>
      <div className="field">
        <label htmlFor={`${id}-ratio-input`}>Max error ratio (%)</label>
        <input
          id={`${id}-ratio-input`}
          type="number"
          name="maxErrorRatioPct"
          min={0}
          max={100}
          step="any"
          defaultValue={ratioToPercentField(rollout.budget.maxErrorRatio)}
          placeholder="no limit"
          aria-describedby={`${id}-ratio`}
        />
        <span className="field-hint" id={`${id}-ratio`}>
          the error ratio now (last 15 min), e.g. 1 for 1%
        </span>
      </div>
      <div className="field">
        <label htmlFor={`${id}-increase-input`}>Max error increase (%)</label>
        <input
          id={`${id}-increase-input`}
          type="number"
          name="maxErrorIncreasePct"
          min={0}
          step="any"
          defaultValue={rollout.budget.maxErrorIncreasePct ?? ""}
          placeholder="no limit"
          aria-describedby={`${id}-increase`}
        />
        <span className="field-hint" id={`${id}-increase`}>
          now against the fixed baseline&apos;s ratio (at least 0.1%)
        </span>
      </div>
      <div className="field">
        <label htmlFor={`${id}-prom-input`}>Prometheus URL (optional)</label>
        <input
          id={`${id}-prom-input`}
          type="url"
          name="prometheusUrl"
          maxLength={2000}
          defaultValue={rollout.prometheusUrl ?? ""}
          placeholder="default: PROMETHEUS_URL"
          aria-describedby={`${id}-prom`}
        />
        <span className="field-hint" id={`${id}-prom`}>
          only a server the operator allows: <code>PROMETHEUS_URL</code> or one listed in <code>DROPBOARD_PROMETHEUS_URLS</code>
        </span>
      </div>
      <div className="field">
        <label htmlFor={`${id}-grace-input`}>Enforcement grace (minutes)</label>
        <input
          id={`${id}-grace-input`}
          type="number"
          name="enforcementGraceMinutes"
          min={1}
          max={24 * 60}
          defaultValue={rollout.enforcementGraceMinutes ?? ""}
          placeholder="10"
          aria-describedby={`${id}-grace`}
        />
        <span className="field-hint" id={`${id}-grace`}>
          predicted paths may still arrive as AUDIT this long after an enforcing transition; later it is NOT_ENFORCED. Default 10
        </span>
      </div>
    </>
  );
}
