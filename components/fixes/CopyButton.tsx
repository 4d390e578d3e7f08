"use client";
// Copies a text to the clipboard. Where the page has no clipboard access (a plain-http address other
// than localhost), it selects the text on screen instead and says to press Ctrl+C.
import { useEffect, useRef, useState, type RefObject } from "react";
import styles from "./allowRule.module.css";

interface Props {
  text: string;
  /** The element showing the text: selected when the clipboard cannot be written. */
  source: RefObject<HTMLElement | null>;
  label: string;
  /** The accessible name, when the label alone does not say what is copied. */
  ariaLabel?: string;
}

function select(element: HTMLElement | null): boolean {
  const selection = window.getSelection();
  if (!element || !selection) return false;
  const range = document.createRange();
  range.selectNodeContents(element);
  selection.removeAllRanges();
  selection.addRange(range);
  return true;
}

export function CopyButton({ text, source, label, ariaLabel }: Props) {
  const [status, setStatus] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);

  async function copy() {
    try {
      if (!navigator.clipboard) throw new Error("no clipboard");
      await navigator.clipboard.writeText(text);
      setStatus("Copied");
    } catch {
      setStatus(select(source.current) ? "Selected: press Ctrl+C" : "Could not copy: select the text");
    }
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => setStatus(null), 4000);
  }

  return (
    <>
      <button type="button" className="button" onClick={() => void copy()} aria-label={ariaLabel}>
        {label}
      </button>
      <span className={styles.copyStatus} role="status" aria-live="polite">
        {status}
      </span>
    </>
  );
}
