"use client";
// The rule as YAML (scrolling sideways inside its box on a phone), with Copy, Download (exactly the
// YAML shown, under the answer's file name) and the command lines that apply it.
import { useRef } from "react";
import type { AllowReply } from "@/lib/fixes/respond";
import { CopyButton } from "./CopyButton";
import styles from "./allowRule.module.css";

function download(yaml: string, filename: string) {
  const url = URL.createObjectURL(new Blob([yaml], { type: "application/yaml" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function YamlBlock({ reply }: { reply: AllowReply }) {
  const yaml = useRef<HTMLPreElement>(null);
  return (
    <div className={styles.yamlBlock}>
      <div className={styles.actions}>
        <CopyButton text={reply.yaml} source={yaml} label="Copy" ariaLabel="Copy the YAML" />
        <button type="button" className="button" onClick={() => download(reply.yaml, reply.filename)} title={`Download ${reply.filename}`}>
          Download
        </button>
        <span className={`muted ${styles.filename}`}>{reply.filename}</span>
      </div>
      <pre ref={yaml} className={styles.yaml} tabIndex={0} aria-label="Allow rule YAML" data-testid="allow-yaml">
        {reply.yaml}
      </pre>
      <div className={styles.apply}>
        <ApplyLine label="Paste it into" command={reply.apply.kubectl} copyLabel="Copy the kubectl command" />
        <ApplyLine label="or pipe it from Dropboard" command={reply.apply.curl} copyLabel="Copy the curl command" />
      </div>
    </div>
  );
}

function ApplyLine({ label, command, copyLabel }: { label: string; command: string; copyLabel: string }) {
  const code = useRef<HTMLElement>(null);
  return (
    <>
      <span className="muted">{label}</span>
      <span className={styles.commandRow}>
        <code ref={code} className={styles.command} tabIndex={0}>
          {command}
        </code>
        <CopyButton text={command} source={code} label="Copy" ariaLabel={copyLabel} />
      </span>
    </>
  );
}
