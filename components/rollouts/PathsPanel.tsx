"use client";
// One list of a stage's drop paths (surprises, expected, acknowledged, other policies), each with
// whose drops they are; surprises can be acknowledged as known noise, acknowledged ones taken back.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { StagePath } from "@/lib/queries/rollouts/getRolloutHealth";
import { rolloutKeys } from "../hooks/rolloutKeys";
import { useWriteToken, writeApi } from "../hooks/writeApi";
import { DropPathsTable } from "../tables/DropPathsTable";
import { CodeText } from "../ui/CodeText";

/** The attribution column every stage path table shows. */
export const attributionColumn = { header: "whose drops", cell: (p: StagePath) => <CodeText text={p.attributionText} /> };

interface Props {
  title: string;
  note: string;
  paths: StagePath[];
  rolloutId: string;
  action?: "ack" | "unack";
  anchor?: string;
}

export function PathsPanel({ title, note, paths, rolloutId, action, anchor }: Props) {
  const queryClient = useQueryClient();
  const token = useWriteToken();
  const [acking, setAcking] = useState<string | null>(null);
  const [reason, setReason] = useState("");
  const done = () => {
    setAcking(null);
    setReason("");
    void queryClient.invalidateQueries({ queryKey: rolloutKeys.healthOf(rolloutId) });
  };
  const ack = useMutation({ mutationFn: (p: StagePath) => writeApi("/api/v1/acknowledgements", "POST", { cluster: p.cluster, pathId: p.id, reason }), onSuccess: done });
  const unack = useMutation({
    mutationFn: (p: StagePath) => writeApi(`/api/v1/acknowledgements?cluster=${encodeURIComponent(p.cluster)}&pathId=${p.id}`, "DELETE"),
    onSuccess: done,
  });
  const error = ack.error ?? unack.error;
  const actions = (p: StagePath) =>
    action === "unack" ? (
      <button type="button" className="link-button" title={`${p.acknowledgement?.reason ?? ""} (${p.acknowledgement?.actor ?? ""})`} onClick={() => unack.mutate(p)}>
        Unacknowledge
      </button>
    ) : acking === p.id ? (
      <form
        className="form-actions"
        onSubmit={(e) => {
          e.preventDefault();
          if (reason.trim()) ack.mutate(p);
        }}
      >
        <input type="text" aria-label="Why is this known noise?" placeholder="why: scanner, probe…" value={reason} onChange={(e) => setReason(e.target.value)} autoFocus />
        <button type="submit" className="button" disabled={!reason.trim() || ack.isPending}>
          Save
        </button>
      </form>
    ) : (
      <button type="button" className="link-button" onClick={() => setAcking(p.id)}>
        Acknowledge
      </button>
    );
  return (
    <section className="panel" aria-label={title} id={anchor}>
      <header className="panel-header">
        <h2>
          {title} · {paths.length}
        </h2>
        <span className="muted">{note}</span>
      </header>
      {paths.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <DropPathsTable paths={paths} label={`${title} drop paths`} detail={attributionColumn} actions={action && token ? actions : undefined} />
      )}
      {error && (
        <p className="form-error" role="alert">
          {error.message}
        </p>
      )}
    </section>
  );
}
