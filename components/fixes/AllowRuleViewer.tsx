"use client";
// An allow rule as the allow endpoints answer it: the policy language to write it in, what the
// drops did not say (warnings) with the broader rules the user may choose, the YAML with Copy and
// Download and the command lines that apply it. Loading, error (with Retry) and "nothing to allow".
import { useState } from "react";
import type { AllowReply } from "@/lib/fixes/respond";
import { EmptyState, ErrorState, Skeleton } from "../ui/states";
import { nothingToAllow, summary, unwritten } from "./allowText";
import { FormatPicker, ScopeChoice, Warnings } from "./RuleChoices";
import { useAllowRule, type AllowChoice, type AllowTarget } from "./useAllowRule";
import { YamlBlock } from "./YamlBlock";
import styles from "./allowRule.module.css";

export function AllowRuleViewer({ target, enabled = true }: { target: AllowTarget; enabled?: boolean }) {
  const [choice, setChoice] = useState<AllowChoice>({ format: null, scope: [] });
  const rule = useAllowRule(target, choice, enabled);
  const reply = rule.data;
  if (!reply) {
    return rule.isError ? (
      <ErrorState message={rule.error.message} onRetry={() => void rule.refetch()} />
    ) : (
      <Skeleton height={240} label="Loading the allow rule" />
    );
  }
  const empty = target.kind === "rollout" && nothingToAllow(reply);
  return (
    <div className={styles.viewer} aria-busy={rule.isFetching}>
      {rule.isError && <ErrorState message={rule.error.message} onRetry={() => void rule.refetch()} compact />}
      {empty ? (
        <EmptyState title="No surprises in the current stage: nothing to allow.">
          <p className="muted">Every path this stage drops was predicted by audit mode, or is acknowledged by an exception.</p>
        </EmptyState>
      ) : (
        <>
          <FormatPicker reply={reply} selected={choice.format ?? reply.format} onFormat={(format) => setChoice({ ...choice, format })} />
          <Warnings warnings={reply.warnings} />
          <ScopeChoice reply={reply} scope={choice.scope} onScope={(scope) => setChoice({ ...choice, scope })} />
          <RuleBody reply={reply} updating={rule.isPlaceholderData} />
        </>
      )}
    </div>
  );
}

function RuleBody({ reply, updating }: { reply: AllowReply; updating: boolean }) {
  const { partial, none } = unwritten(reply);
  const left = [partial > 0 && `${partial} written in part`, none > 0 && `${none} not written`].filter(Boolean).join(", ");
  if (reply.objects.length === 0) {
    return (
      <EmptyState title="No rule written: the drops do not say enough to allow exactly this traffic.">
        <p className="muted">The warnings above say what is missing. Dropboard never widens a rule on its own: choose a broader rule above, or write it by hand.</p>
      </EmptyState>
    );
  }
  return (
    <>
      <p className={styles.summary} data-testid="allow-summary">
        {summary(reply)}
        {left && <span className="warn-text"> · {left} (see the warnings)</span>}
        {updating && <span className="muted"> · updating…</span>}
      </p>
      {reply.paths.length > 1 && (
        <details className={styles.paths}>
          <summary>The drop paths it allows</summary>
          <ul>
            {reply.paths.map((p) => (
              <li key={`${p.cluster}/${p.id}`}>
                <code>{p.flow}</code> <span className="muted">({p.direction.toLowerCase()}, {p.status})</span>
              </li>
            ))}
          </ul>
        </details>
      )}
      <YamlBlock reply={reply} />
    </>
  );
}
