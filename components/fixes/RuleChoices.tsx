"use client";
// The choices on an allow rule: its policy language (those the drops' CNIs enforce, the dropping
// CNI's own first) and the broader rules Dropboard suggests where the drops do not say enough, each
// an explicit opt-in, with the warnings that explain why.
import { useId } from "react";
import type { AllowReply } from "@/lib/fixes/respond";
import type { FixFormat, FixScope, FixWarning } from "@/lib/fixes/types";
import { CodeText } from "../ui/CodeText";
import { FORMAT_LABELS, offeredFormats, SCOPE_LABELS, scopeChoices, toggleScope } from "./allowText";
import styles from "./allowRule.module.css";

/** `selected`: the format asked for (shown at once, while its answer loads). */
export function FormatPicker({ reply, selected, onFormat }: { reply: AllowReply; selected: FixFormat; onFormat: (format: FixFormat) => void }) {
  const name = useId();
  const offers = offeredFormats(reply.formats);
  const chosen = offers.find((f) => f.format === reply.format);
  return (
    <fieldset className={styles.formats}>
      <legend>Policy language</legend>
      <div className={styles.chips}>
        {offers.map((offer) => (
          <label key={offer.format} className={`chip${offer.format === selected ? " chip-on" : ""}`} title={offer.note}>
            <input type="radio" name={name} value={offer.format} checked={offer.format === selected} onChange={() => onFormat(offer.format)} />
            {FORMAT_LABELS[offer.format]}
            {offer.recommended && <span className={styles.recommended}> · the CNI&apos;s own</span>}
          </label>
        ))}
      </div>
      {chosen && <p className={`muted ${styles.note}`}>{chosen.note}</p>}
    </fieldset>
  );
}

export function Warnings({ warnings }: { warnings: readonly FixWarning[] }) {
  if (warnings.length === 0) return null;
  return (
    <div className={styles.warnings} role="note" aria-label="Warnings">
      <strong>{warnings.length === 1 ? "Read this first" : `Read these first (${warnings.length})`}</strong>
      <ul>
        {warnings.map((w, i) => (
          <li key={`${w.code}-${w.pathId ?? ""}-${i}`}>
            <CodeText text={w.message} />
          </li>
        ))}
      </ul>
    </div>
  );
}

export function ScopeChoice({ reply, scope, onScope }: { reply: AllowReply; scope: readonly FixScope[]; onScope: (scope: FixScope[]) => void }) {
  const choices = scopeChoices(reply);
  if (choices.length === 0) return null;
  return (
    <fieldset className={styles.scopes}>
      <legend>A broader rule (only if you choose it)</legend>
      {choices.map((choice) => (
        <label key={choice} className={styles.scope}>
          <input type="checkbox" checked={scope.includes(choice)} onChange={(e) => onScope(toggleScope(scope, choice, e.target.checked))} />
          <span>
            <strong>{SCOPE_LABELS[choice].label}</strong> <code>scope={choice}</code>
            <span className="muted"> — {SCOPE_LABELS[choice].meaning}</span>
          </span>
        </label>
      ))}
    </fieldset>
  );
}
