"use client";
// "Still only audited after enforcement", at a glance: AUDIT drops in namespaces where a rollout
// stage enforces, past its grace period. Policy that is not enforced is theatre.
import Link from "next/link";
import type { StillAuditedResult } from "@/lib/queries/drops/getStillAudited";
import { useViewHref } from "./hooks/useViewHref";
import { formatCount, formatTime } from "./ui/format";

const SHOWN = 5;

export function StillAuditedNote({ result, namespacePage = false }: { result: StillAuditedResult; namespacePage?: boolean }) {
  const href = useViewHref();
  const rows = result.namespaces;
  return (
    <section className="still-audited" id="still-audited" aria-label="Still only audited after enforcement" data-testid="still-audited">
      <h2>
        <span className="swatch swatch-hatched" aria-hidden /> Still only audited after enforcement
      </h2>
      <p className="muted">
        {formatCount(result.total)} AUDIT {result.total === 1 ? "drop" : "drops"} in {rows.length === 1 ? "a namespace" : `${rows.length} namespaces`} where a rollout
        stage enforces (after its grace period): the policy is not enforced there. Hatched on the charts by verdict.
      </p>
      <ul className="still-audited-list">
        {rows.slice(0, SHOWN).map((row) => (
          <li key={`${row.cluster}/${row.namespace}`}>
            {namespacePage ? <strong>{row.namespace}</strong> : <Link prefetch={false} href={href(`/namespaces/${encodeURIComponent(row.namespace)}`, ["namespace"])}>{row.namespace}</Link>}{" "}
            <span className="muted">({row.cluster})</span> <strong>{formatCount(row.count)}</strong>{" "}
            <span className="muted">
              ·{" "}
              {row.rollouts.map((r, i) => (
                <span key={r.id}>
                  {i > 0 && ", "}
                  <span className={`badge stage-${r.stage.toLowerCase()}`}>{r.stage}</span> <Link prefetch={false} href={`/rollouts/${r.id}`}>{r.name}</Link> since {formatTime(r.since)} UTC
                </span>
              ))}
            </span>
          </li>
        ))}
        {rows.length > SHOWN && <li className="muted">and {rows.length - SHOWN} more</li>}
      </ul>
    </section>
  );
}
