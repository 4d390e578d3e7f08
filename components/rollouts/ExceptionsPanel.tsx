"use client";
// Every exception that applies to this rollout: its own and those for every rollout, expired ones
// too (their paths count again). Expired ones come first; each can be removed (for its scope) or
// renewed with a new expiry.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import type { RolloutHealth } from "@/lib/queries/rollouts/getRolloutHealth";
import { rolloutKeys } from "../hooks/rolloutKeys";
import { useExceptions, type ExceptionView } from "../hooks/useExceptions";
import { useWriteToken, writeApi } from "../hooks/writeApi";
import { formatTime } from "../ui/format";
import { ErrorState, Skeleton } from "../ui/states";
import { expiryText } from "./ExceptionCell";
import { ExceptionForm } from "./ExceptionForm";
import { pathLabel } from "./pathLabel";
import { removeExceptionUrl } from "./PathsPanel";

const keyOf = (e: { cluster: string; pathId?: string; id?: string }) => `${e.cluster}/${e.pathId ?? e.id}`;

/** Paths health knows by key, in words (the exceptions API gives only cluster and id). */
function knownPaths(health: RolloutHealth | undefined): Map<string, string> {
  const known = new Map<string, string>();
  if (!health) return known;
  for (const p of [...health.surprises, ...health.expected, ...health.acknowledged, ...health.otherPolicies, ...health.stillAudited]) {
    known.set(keyOf(p), pathLabel(p));
  }
  for (const e of health.expiredExceptions) known.set(keyOf(e), e.path);
  return known;
}

/** Expired first (they need a decision), then the soonest to expire, then those without expiry. */
function byUrgency(a: ExceptionView, b: ExceptionView): number {
  if (a.expired !== b.expired) return a.expired ? -1 : 1;
  return (a.expiresAt ?? "9999").localeCompare(b.expiresAt ?? "9999");
}

export function ExceptionsPanel({ rolloutId, rolloutName, health }: { rolloutId: string; rolloutName: string; health: RolloutHealth | undefined }) {
  const exceptions = useExceptions(rolloutId);
  const queryClient = useQueryClient();
  const token = useWriteToken();
  const [renewing, setRenewing] = useState<ExceptionView | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: rolloutKeys.healthOf(rolloutId) });
    void queryClient.invalidateQueries({ queryKey: rolloutKeys.exceptions(rolloutId) });
  };
  const remove = useMutation({
    mutationFn: (e: ExceptionView) => writeApi(removeExceptionUrl(e), "DELETE"),
    onSuccess: () => {
      setConfirming(null);
      refresh();
    },
  });
  const known = knownPaths(health);
  const list = [...(exceptions.data?.acknowledgements ?? [])].sort(byUrgency);
  const expired = list.filter((e) => e.expired).length;
  const now = exceptions.dataUpdatedAt;
  // The list API names paths by id only: paths this stage's health lists are put in words.
  const label = (e: ExceptionView) => known.get(keyOf(e)) ?? `path …${e.pathId.slice(-6)}`;
  return (
    <section className="panel rollout-paths" aria-label="Exceptions" id="exceptions">
      <header className="panel-header">
        <h2>
          Exceptions · {list.length}
          {expired > 0 ? ` (${expired} expired)` : ""}
        </h2>
        <span className="muted">this rollout&apos;s and every rollout&apos;s; out of the budget until they expire</span>
      </header>
      {exceptions.isError ? (
        <ErrorState message={exceptions.error.message} onRetry={() => void exceptions.refetch()} />
      ) : !exceptions.data ? (
        <Skeleton height={60} label="Loading exceptions" />
      ) : list.length === 0 ? (
        <p className="muted">No exception applies to this rollout. Add one from a path&apos;s row above (a scanner, a probe, a known cost with an expiry).</p>
      ) : (
        <div className="table-scroll">
          <table className="table exceptions-table" aria-label="Exceptions that apply">
            <thead>
              <tr>
                <th scope="col">drop path</th>
                <th scope="col">reason</th>
                <th scope="col">owner</th>
                <th scope="col">expiry</th>
                <th scope="col">scope</th>
                <th scope="col">created</th>
                {token && <th scope="col" aria-label="actions" />}
              </tr>
            </thead>
            <tbody>
              {list.map((e) => {
                const expiry = expiryText(e.expiresAt, now);
                const rowKey = `${e.id}`;
                return (
                  <tr key={e.id} className={e.expired ? "row-expired" : undefined}>
                    <td className="wrap-cell">
                      <Link prefetch={false} href={`/paths/${encodeURIComponent(e.cluster)}/${e.pathId}`} title={`drop path ${e.pathId} in cluster ${e.cluster}`}>
                        {label(e)}
                      </Link>{" "}
                      <span className="muted">
                        {e.cluster}
                        {known.has(keyOf(e)) ? "" : " · not in this stage's lists"}
                      </span>
                    </td>
                    <td className="detail-cell" data-label="reason">
                      {e.reason}
                    </td>
                    <td data-label="owner">{e.owner}</td>
                    <td className={`wrap-cell ${e.expired ? "form-error" : "muted"}`} data-label="expiry">
                      {e.expired && <span className="badge badge-expired">expired</span>} {expiry.short}
                    </td>
                    <td data-label="scope">{e.rolloutId ? "this rollout" : "every rollout"}</td>
                    <td className="muted" title={e.createdAt} data-label="created">
                      {formatTime(e.createdAt)} UTC · {e.actor}
                    </td>
                    {token && (
                      <td>
                        {confirming === rowKey ? (
                          <span className="row-confirm" role="group" aria-label="Confirm removing the exception">
                            Remove{e.rolloutId ? "" : " for every rollout"}?{" "}
                            <button type="button" className="link-button" onClick={() => remove.mutate(e)} disabled={remove.isPending}>
                              Remove
                            </button>{" "}
                            <button type="button" className="link-button" onClick={() => setConfirming(null)} autoFocus>
                              Keep
                            </button>
                          </span>
                        ) : (
                          <span className="row-actions">
                            <button type="button" className="link-button" onClick={() => setRenewing(e)}>
                              {e.expired ? "Renew…" : "Change…"}
                            </button>
                            <button type="button" className="link-button" onClick={() => setConfirming(rowKey)}>
                              Remove
                            </button>
                          </span>
                        )}
                      </td>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {renewing && (
        <ExceptionForm
          key={renewing.id}
          target={{ cluster: renewing.cluster, pathId: renewing.pathId, label: label(renewing) }}
          rolloutId={rolloutId}
          rolloutName={rolloutName}
          draft={{ reason: renewing.reason, owner: renewing.owner, scope: renewing.rolloutId ? "rollout" : "global" }}
          onSaved={() => {
            setRenewing(null);
            refresh();
          }}
          onCancel={() => setRenewing(null)}
        />
      )}
      {remove.error && (
        <p className="form-error" role="alert">
          {remove.error.message}
        </p>
      )}
    </section>
  );
}
