"use client";
// A button that opens the allow-rule viewer in a modal dialog (the browser's own <dialog>: focus
// stays inside, Escape closes it). Closing puts the focus back on the button. The dialog is put at
// the end of <body>, so it is never inside a form or a panel that clips it.
import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import { createPortal } from "react-dom";
import { AllowRuleViewer } from "./AllowRuleViewer";
import type { AllowTarget } from "./useAllowRule";
import styles from "./allowRule.module.css";

interface Props {
  target: AllowTarget;
  /** The button's text and the dialog's title ("Allow this path"). */
  title: string;
  /** What is allowed, under the title (the flow, the rollout). */
  subtitle?: ReactNode;
  className?: string;
}

export function AllowRuleDialog({ target, title, subtitle, className = "button" }: Props) {
  const [open, setOpen] = useState(false);
  const trigger = useRef<HTMLButtonElement>(null);
  return (
    <>
      <button ref={trigger} type="button" className={className} aria-haspopup="dialog" onClick={() => setOpen(true)}>
        {title}…
      </button>
      {open &&
        createPortal(
          <RuleDialog
            target={target}
            title={title}
            subtitle={subtitle}
            onClosed={() => {
              setOpen(false);
              trigger.current?.focus();
            }}
          />,
          document.body,
        )}
    </>
  );
}

function RuleDialog({ target, title, subtitle, onClosed }: Omit<Props, "className"> & { onClosed: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const heading = useId();
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);
  return (
    <dialog
      ref={dialog}
      className={styles.dialog}
      aria-labelledby={heading}
      onClose={onClosed}
      // A click on the backdrop (the dialog element itself, outside its content) closes it.
      onClick={(e) => e.target === e.currentTarget && e.currentTarget.close()}
    >
      <div className={styles.dialogBody}>
        <header className={styles.dialogHeader}>
          <div className={styles.dialogTitle}>
            <h2 id={heading}>{title}</h2>
            {subtitle && <p className="muted">{subtitle}</p>}
          </div>
          <button type="button" className="button" onClick={() => dialog.current?.close()} aria-label="Close">
            Close
          </button>
        </header>
        <AllowRuleViewer target={target} />
      </div>
    </dialog>
  );
}
