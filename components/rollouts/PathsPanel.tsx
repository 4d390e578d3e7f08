"use client";
// One list of a stage's drop paths (still audited, surprises, expected, acknowledged, other
// policies), each with whose drops they are. A path can be made an exception (reason, owner,
// expiry, scope); an acknowledged path shows its exception, which can be removed (for its scope).
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRef, useState } from "react";
import type { StagePath } from "@/lib/queries/rollouts/getRolloutHealth";
import { rolloutKeys } from "../hooks/rolloutKeys";
import { useWriteToken, writeApi } from "../hooks/writeApi";
import { DropPathsTable } from "../tables/DropPathsTable";
import { CodeText } from "../ui/CodeText";
import { ExceptionCell } from "./ExceptionCell";
import { ExceptionForm } from "./ExceptionForm";
import { pathLabel } from "./pathLabel";

/** The attribution column every stage path table shows. */
export const attributionColumn = { header: "whose drops", cell: (p: StagePath) => <CodeText text={p.attributionText} /> };

interface Props {
  title: string;
  note: string;
  paths: StagePath[];
  rolloutId: string;
  rolloutName: string;
  /** "exception": each path can be made one; "remove": paths are exceptions, which can be removed. */
  action?: "exception" | "remove";
  anchor?: string;
  /** The server's time of the health read (expiries are shown against it). */
  now: string;
  testId?: string;
}

/** DELETE ?cluster&pathId[&rolloutId]: the exception of that scope only. */
export const removeExceptionUrl = (e: { cluster: string; pathId: string; rolloutId: string | null }) =>
  `/api/v1/acknowledgements?cluster=${encodeURIComponent(e.cluster)}&pathId=${encodeURIComponent(e.pathId)}${e.rolloutId ? `&rolloutId=${encodeURIComponent(e.rolloutId)}` : ""}`;

export function PathsPanel({ title, note, paths, rolloutId, rolloutName, action, anchor, now, testId }: Props) {
  const queryClient = useQueryClient();
  const token = useWriteToken();
  const [adding, setAdding] = useState<StagePath | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  // Where focus returns when the exception form closes without saving.
  const trigger = useRef<HTMLButtonElement | null>(null);
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: rolloutKeys.healthOf(rolloutId) });
    void queryClient.invalidateQueries({ queryKey: rolloutKeys.exceptions(rolloutId) });
  };
  const remove = useMutation({
    mutationFn: (p: StagePath) => writeApi(removeExceptionUrl({ cluster: p.cluster, pathId: p.id, rolloutId: p.acknowledgement?.rolloutId ?? null }), "DELETE"),
    onSuccess: () => {
      setConfirming(null);
      refresh();
    },
  });
  const key = (p: StagePath) => `${p.cluster}/${p.id}`;
  const actions = (p: StagePath) => {
    if (action === "remove") {
      const global = !p.acknowledgement?.rolloutId;
      return confirming === key(p) ? (
        <span className="row-confirm" role="group" aria-label="Confirm removing the exception">
          Remove{global ? " for every rollout" : ""}?{" "}
          <button type="button" className="link-button" onClick={() => remove.mutate(p)} disabled={remove.isPending}>
            Remove
          </button>{" "}
          <button type="button" className="link-button" onClick={() => setConfirming(null)} autoFocus>
            Keep
          </button>
        </span>
      ) : (
        <button type="button" className="link-button" onClick={() => setConfirming(key(p))}>
          Remove exception
        </button>
      );
    }
    return (
      <button
        type="button"
        className="link-button"
        onClick={(e) => {
          trigger.current = e.currentTarget;
          setAdding(p);
        }}
        aria-expanded={adding !== null && key(adding) === key(p)}
      >
        Add exception…
      </button>
    );
  };
  const detail =
    action === "remove"
      ? {
          header: "exception · whose drops",
          cell: (p: StagePath) => (
            <>
              {p.acknowledgement && <ExceptionCell exception={p.acknowledgement} now={Date.parse(now)} />}
              <CodeText text={p.attributionText} />
            </>
          ),
        }
      : attributionColumn;
  return (
    <section className="panel rollout-paths" aria-label={title} id={anchor} data-testid={testId}>
      <header className="panel-header">
        <h2>
          {title} · {paths.length}
        </h2>
        <span className="muted">{note}</span>
      </header>
      {paths.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <DropPathsTable paths={paths} label={`${title} drop paths`} detail={detail} actions={action && token ? actions : undefined} />
      )}
      {adding && (
        <ExceptionForm
          key={key(adding)}
          target={{ cluster: adding.cluster, pathId: adding.id, label: pathLabel(adding) }}
          rolloutId={rolloutId}
          rolloutName={rolloutName}
          onSaved={() => {
            setAdding(null);
            refresh();
          }}
          onCancel={() => {
            setAdding(null);
            trigger.current?.focus();
          }}
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
