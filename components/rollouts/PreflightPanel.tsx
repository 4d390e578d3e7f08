"use client";
// Pre-flight: before promoting, the drop paths already seen as AUDIT in the next stage's scope,
// which promoting would start dropping.
import { useState } from "react";
import type { PreflightAsk } from "../hooks/rolloutKeys";
import { useNamespaceClasses } from "../hooks/useNamespaceClasses";
import { usePreflight } from "../hooks/usePreflight";
import { DropPathsTable } from "../tables/DropPathsTable";
import { formatCount } from "../ui/format";
import { ErrorState, Skeleton } from "../ui/states";
import { attributionColumn } from "./PathsPanel";

const csv = (text: string) => text.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);

export function PreflightPanel({ rolloutId }: { rolloutId: string }) {
  const classes = useNamespaceClasses();
  const [asked, setAsked] = useState<PreflightAsk | null>(null);
  const preflight = usePreflight(rolloutId, asked);
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
      {preflight.isError ? (
        <ErrorState message={preflight.error.message} onRetry={() => void preflight.refetch()} />
      ) : asked && !preflight.data ? (
        <Skeleton height={80} label="Checking" />
      ) : (
        preflight.data && (
          <div aria-label="Pre-flight result">
            <p>
              <strong>{preflight.data.wouldDrop.length}</strong> path(s), {formatCount(preflight.data.auditDrops)} AUDIT drops in the last {asked?.hours} h
              {preflight.data.acknowledged.length > 0 ? ` (${preflight.data.acknowledged.length} acknowledged left out)` : ""}.
            </p>
            {preflight.data.wouldDrop.length > 0 && <DropPathsTable paths={preflight.data.wouldDrop} label="Would start dropping" detail={attributionColumn} />}
          </div>
        )
      )}
    </section>
  );
}
