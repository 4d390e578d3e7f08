"use client";
// Presets (live) and an absolute range (pinned). The URL holds whichever is chosen. The Absolute…
// form opens on the range the page shows; Escape (or Cancel) closes it.
import { useRef, useState } from "react";
import { pinnedRange, RANGE_PRESET_NAMES, resolveRange, type RangePreset, type TimeRange } from "@/lib/queries/timeRange";
import { useDropView } from "../hooks/dropView";
import { formatRange } from "../ui/format";

/** A UTC time as a datetime-local input holds it ("2026-06-01T10:45"). */
const toInput = (time: Date) => time.toISOString().slice(0, 16);

export function TimeRangePicker({ shown }: { shown?: TimeRange | null }) {
  const [view, setView] = useDropView();
  const pinned = pinnedRange(view);
  const [editing, setEditing] = useState(false);
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const toggle = useRef<HTMLButtonElement>(null);
  const invalid = !from || !to || !(new Date(`${from}Z`) < new Date(`${to}Z`));
  const close = () => {
    setEditing(false);
    toggle.current?.focus();
  };
  const open = () => {
    const current = shown ?? pinned ?? resolveRange(view, new Date());
    setFrom(toInput(current.from));
    setTo(toInput(current.to));
    setEditing(true);
  };

  return (
    <div className="range-picker" role="group" aria-label="Time range">
      {RANGE_PRESET_NAMES.map((preset: RangePreset) => (
        <button
          key={preset}
          type="button"
          className={`chip${!pinned && view.range === preset ? " chip-on" : ""}`}
          aria-pressed={!pinned && view.range === preset}
          onClick={() => void setView({ range: preset, from: null, to: null })}
        >
          {preset}
        </button>
      ))}
      <button ref={toggle} type="button" className={`chip${pinned ? " chip-on" : ""}`} aria-expanded={editing} onClick={() => (editing ? close() : open())}>
        {pinned ? formatRange(pinned.from.getTime(), pinned.to.getTime()) : "Absolute…"}
      </button>
      {editing && (
        <form
          className="range-form"
          aria-label="Absolute range"
          onKeyDown={(e) => {
            if (e.key === "Escape") {
              e.preventDefault();
              close();
            }
          }}
          onSubmit={(event) => {
            event.preventDefault();
            if (invalid) return;
            void setView({ from: new Date(`${from}Z`).toISOString(), to: new Date(`${to}Z`).toISOString() });
            setEditing(false);
          }}
        >
          <label>
            From (UTC) <input type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} required autoFocus />
          </label>
          <label>
            To (UTC) <input type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} required />
          </label>
          <button type="submit" className="button" disabled={invalid}>
            Apply
          </button>
          <button type="button" className="link-button" onClick={close}>
            Cancel
          </button>
        </form>
      )}
    </div>
  );
}
