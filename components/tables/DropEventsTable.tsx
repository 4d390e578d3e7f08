"use client";
// Raw drop events, newest first, each row expandable to its normalised fields. An event with a
// count of 0 is a Hubble PolicyVerdict copy: it names the policy of a drop its Drop event counts.
import { Fragment, useState } from "react";
import type { StoredDropEvent } from "@/lib/queries/drops/getDropEvents";
import { formatCount, formatTime } from "../ui/format";

export function DropEventsTable({ events }: { events: readonly StoredDropEvent[] }) {
  const [open, setOpen] = useState<string | null>(null);
  return (
    <div className="table-scroll">
      <table className="table stack events-table" aria-label="Drop events">
        <thead>
          <tr>
            <th scope="col" aria-label="expand" />
            <th scope="col">time (UTC)</th>
            <th scope="col">verdict</th>
            <th scope="col">source</th>
            <th scope="col" aria-label="to" />
            <th scope="col">destination</th>
            <th scope="col">port</th>
            <th scope="col">reason</th>
            <th scope="col" className="num">count</th>
            <th scope="col">node</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => {
            const id = `${e.cluster}/${e.time}/${e.key}`;
            const expanded = open === id;
            return (
              <Fragment key={id}>
                <tr>
                  <td className="c-expand">
                    <button type="button" className="link-button" aria-expanded={expanded} aria-label={expanded ? "Hide fields" : "Show fields"} onClick={() => setOpen(expanded ? null : id)}>
                      {expanded ? "▾" : "▸"}
                    </button>
                  </td>
                  <td className="muted c-time">
                    {formatTime(e.time)}:{e.time.slice(17, 23)}
                  </td>
                  <td className="c-verdict">
                    <span className={`badge badge-${e.verdict.toLowerCase()}`}>{e.verdict}</span>
                  </td>
                  <td className="c-src">{[e.srcNamespace, e.srcPod ?? e.srcWorkload ?? e.srcIp].filter(Boolean).join("/")}</td>
                  <td className="c-dir muted" aria-hidden>
                    →
                  </td>
                  <td className="c-dst">{[e.dstNamespace, e.dstPod ?? e.dstWorkload ?? e.dstIp].filter(Boolean).join("/")}</td>
                  <td className="c-port">
                    {e.dstPort ?? (e.icmpType !== null ? `type ${e.icmpType}` : "–")}/{e.protocol}
                  </td>
                  <td className="muted c-reason">{e.reason}</td>
                  {e.count === 0 ? (
                    <td className="num muted policy-verdict-copy c-count" title="A Hubble PolicyVerdict event: it names the policy of a drop that its Drop event counts, so it counts nothing itself">
                      policy verdict · counted by its drop event
                    </td>
                  ) : (
                    <td className="num c-count" data-label="count">
                      {e.sampleRate > 1 && (
                        <span className="sampled" title={`Estimated: the source sampled 1 in ${e.sampleRate} packets`}>
                          ≈{" "}
                        </span>
                      )}
                      {formatCount(e.count)}
                    </td>
                  )}
                  <td className="muted c-node" data-label="node">
                    {e.node ?? "–"}
                  </td>
                </tr>
                {expanded && (
                  <tr>
                    <td colSpan={10} className="c-fields">
                      <pre className="event-fields">{JSON.stringify(e, null, 2)}</pre>
                    </td>
                  </tr>
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
