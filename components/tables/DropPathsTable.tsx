"use client";
// The top drop paths: who -> whom:port/proto, with counts, policies and first/last seen.
import Link from "next/link";
import type { ReactNode } from "react";
import type { DropPathRow } from "@/lib/queries/drops/getTopDropPaths";
import { useViewHref } from "../hooks/useViewHref";
import { formatCount, formatTime } from "../ui/format";

function endpoint(namespace: string | null, workload: string | null): string {
  if (!namespace && !workload) return "(unknown)";
  return [namespace ?? "(none)", workload].filter(Boolean).join("/");
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
  return (
    <div className="table-scroll">
      <table className="table" aria-label={label}>
        <thead>
          <tr>
            <th scope="col">source</th>
            <th scope="col" aria-label="direction" />
            <th scope="col">destination</th>
            <th scope="col">port</th>
            <th scope="col" className="num">drops</th>
            <th scope="col" className="num">would-drop</th>
            <th scope="col">policy / reason</th>
            {detail && <th scope="col">{detail.header}</th>}
            <th scope="col">first seen</th>
            <th scope="col">last seen</th>
            <th scope="col" aria-label="open" />
            {actions && <th scope="col" aria-label="actions" />}
          </tr>
        </thead>
        <tbody>
          {shown.map((p) => (
            <tr key={`${p.cluster}/${p.id}`}>
              <td>
                {endpoint(p.srcNamespace, p.srcWorkload)}
                {p.isNew && <span className="badge badge-new" title="first seen in this range">new</span>}
              </td>
              <td className="muted" title={`${p.direction} (policy of ${p.namespace})`}>
                →
              </td>
              <td>{endpoint(p.dstNamespace, p.dstWorkload)}</td>
              <td>
                {p.dstPort ?? "–"}/{p.protocol}
              </td>
              <td className="num">{formatCount(p.dropped)}</td>
              <td className="num">{p.audit ? formatCount(p.audit) : "–"}</td>
              <td className="muted">{[...p.policies, ...p.reasons].join(", ")}</td>
              {detail && <td className="detail-cell">{detail.cell(p)}</td>}
              <td className="muted">{formatTime(p.firstSeen)}</td>
              <td className="muted">{formatTime(p.lastSeen)}</td>
              <td>
                <Link href={href(`/paths/${encodeURIComponent(p.cluster)}/${p.id}`, ["namespace"])} aria-label={`Open drop path ${endpoint(p.srcNamespace, p.srcWorkload)} to ${endpoint(p.dstNamespace, p.dstWorkload)}`}>
                  open ›
                </Link>
              </td>
              {actions && <td>{actions(p)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
      {shown.length === 0 && <p className="muted">No drop path matches.</p>}
    </div>
  );
}
