"use client";
// A keyboard-reachable multi-select: a <details> disclosure with checkboxes. Escape or a click
// elsewhere closes it (focus returns to its button on Escape).
import { useEffect, useRef, useState } from "react";

export function MultiSelect({
  label,
  options,
  selected,
  onChange,
}: {
  label: string;
  options: readonly string[];
  selected: readonly string[];
  onChange: (next: string[]) => void;
}) {
  const ref = useRef<HTMLDetailsElement>(null);
  const [open, setOpen] = useState(false);
  useEffect(() => {
    if (!open) return;
    const outside = (event: PointerEvent) => {
      if (ref.current && !ref.current.contains(event.target as Node)) ref.current.open = false;
    };
    document.addEventListener("pointerdown", outside);
    return () => document.removeEventListener("pointerdown", outside);
  }, [open]);
  const all = [...new Set([...selected, ...options])];
  return (
    <details
      className="multi-select"
      ref={ref}
      onToggle={(e) => setOpen(e.currentTarget.open)}
      onKeyDown={(e) => {
        if (e.key === "Escape" && ref.current?.open) {
          e.preventDefault();
          ref.current.open = false;
          ref.current.querySelector("summary")?.focus();
        }
      }}
    >
      <summary>
        {label}: {selected.length === 0 ? "all" : selected.length <= 2 ? selected.join(", ") : `${selected.length} selected`}
      </summary>
      <div className="multi-select-menu" role="group" aria-label={label}>
        {all.length === 0 && <span className="muted">nothing in this range</span>}
        {all.map((option) => (
          <label key={option}>
            <input
              type="checkbox"
              checked={selected.includes(option)}
              onChange={(e) => onChange(e.target.checked ? [...selected, option] : selected.filter((s) => s !== option))}
            />
            {option}
          </label>
        ))}
        {selected.length > 0 && (
          <button type="button" className="link-button" onClick={() => onChange([])}>
            Clear
          </button>
        )}
      </div>
    </details>
  );
}
