"use client";
// A keyboard-reachable multi-select: a <details> disclosure with checkboxes.
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
  const all = [...new Set([...selected, ...options])];
  return (
    <details className="multi-select">
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
