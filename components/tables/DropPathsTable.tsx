"use client";
// Drop paths: who -> whom:port/proto in which cluster, with enforced, would-drop and total counts,
// policies and first/last seen. On phones each path is a stacked row (destination and counts first).
import Link from "next/link";
import type { ReactNode } from "react";
import type { DropPathRow } from "@/lib/queries/drops/getTopDropPaths";
import { useViewHref } from "../hooks/useViewHref";
import { formatCount, formatTime } from "../ui/format";

function endpoint(namespace: string | null, workload: string | null): string {
  if (!namespace && !workload) return "(unknown)";
  return [namespace ?? "(none)", workload].filter(Boolean).join("/");
}

/** "06-02 10:42" (the year is in the title): keeps the table within a laptop's width. */
const shortTime = (iso: string) => formatTime(iso).slice(5);

/** A count, zero shown the one way every count column shows it (a muted 0). */
export function Count({ n }: { n: number }) {
  return n === 0 ? <span className="zero">0</span> : <>{formatCount(n)}</>;
}

export function DropPathsTable<P extends DropPathRow>({
  paths,
  filterText = "",
  label = "Top drop paths",
  actions,
  detail,
}: {
  paths: readonly P[];
  filterText?: string;
  label?: string;
  /** A last column of per-path actions (e.g. acknowledge). */
  actions?: (path: P) => ReactNode;
  /** A column more, after policy / reason (e.g. whose drops these are). */
  detail?: { header: string; cell: (path: P) => ReactNode };
}) {
  const href = useViewHref();
  const needle = filterText.trim().toLowerCase();
  const shown = needle
    ? paths.filter((p) => [p.srcNamespace, p.srcWorkload, p.dstNamespace, p.dstWorkload].some((v) => v?.toLowerCase().includes(needle)))
    : paths;
  if (paths.length === 0) return <p className="muted">No drop path in this range.</p>;
  return (
    <div className="table-scroll">
      <table className="table stack paths-table" aria-label={label}>
        <thead>
          <tr>
            <th scope="col">cluster</th>
            <th scope="col">source</th>
            <th scope="col" aria-label="direction" />
            <th scope="col">destination:port</th>
            <th scope="col" className="c-break" aria-hidden />
            <th scope="col" className="num" title="Drops with verdict DROPPED: the policy enforced">
              enforced
            </th>
            <th scope="col" className="num" title="Drops with verdict AUDIT: a policy in audit mode would drop these">
              would-drop
            </th>
            <th scope="col" className="num" title="Enforced and would-drop together">
              total
            </th>
            <th scope="col">policy / reason</th>
            {detail && <th scope="col">{detail.header}</th>}
            <th scope="col" className="c-first">
              first seen (UTC)
            </th>
            <th scope="col">last seen (UTC)</th>
            <th scope="col" aria-label="open" />
            {actions && <th scope="col" aria-label="actions" />}
          </tr>
        </thead>
        <tbody>
          {shown.map((p) => (
            <tr key={`${p.cluster}/${p.id}`}>
              <td className="c-cluster muted" data-label="cluster">
                {p.cluster}
              </td>
              <td className="c-src">
                {endpoint(p.srcNamespace, p.srcWorkload)}
                {p.isNew && (
                  <span className="badge badge-new" title="first seen in this range">
                    new
                  </span>
                )}
              </td>
              <td className="c-dir muted" title={`${p.direction} (policy of ${p.namespace})`}>
                →
              </td>
              <td className="c-dst">
                <span className="dst-name">{endpoint(p.dstNamespace, p.dstWorkload)}</span>
                <span className="muted">
                  :{p.dstPort ?? "–"}/{p.protocol}
                </span>
              </td>
              <td className="c-break" aria-hidden />
              <td className="num c-count" data-label="enforced">
                <Count n={p.dropped} />
              </td>
              <td className="num c-count" data-label="would-drop">
                <Count n={p.audit} />
              </td>
              <td className="num c-count c-total" data-label="total">
                <Count n={p.count} />
              </td>
              <td className="muted c-policy">{[...p.policies, ...p.reasons].join(", ")}</td>
              {detail && <td className="detail-cell c-detail">{detail.cell(p)}</td>}
              <td className="muted c-time c-first" data-label="first" title={`${formatTime(p.firstSeen)} UTC`}>
                {shortTime(p.firstSeen)}
              </td>
              <td className="muted c-time" data-label="last" title={`last seen ${formatTime(p.lastSeen)} UTC, first seen ${formatTime(p.firstSeen)} UTC`}>
                {shortTime(p.lastSeen)}
              </td>
              <td className="c-open">
                {/* No prefetch: a hundred rows would each fetch their page while this one loads. */}
                <Link prefetch={false} href={href(`/paths/${encodeURIComponent(p.cluster)}/${p.id}`, ["namespace"])} aria-label={`Open drop path ${endpoint(p.srcNamespace, p.srcWorkload)} to ${endpoint(p.dstNamespace, p.dstWorkload)}`}>
                  open ›
                </Link>
              </td>
              {actions && <td className="c-actions">{actions(p)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
      {shown.length === 0 && <p className="muted">No drop path matches “{filterText.trim()}”.</p>}
    </div>
  );
}
