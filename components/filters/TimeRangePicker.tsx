"use client";
// Presets (live) and an absolute range (pinned). The URL holds whichever is chosen.
import { useState } from "react";
import { RANGE_PRESET_NAMES, type RangePreset } from "@/lib/queries/timeRange";
import { useDropView } from "../hooks/dropView";
import { formatTime } from "../ui/format";

const toLocalInput = (iso: string) => iso.slice(0, 16);

export function TimeRangePicker() {
  const [view, setView] = useDropView();
  const pinned = Boolean(view.from && view.to);
  const [editing, setEditing] = useState(false);
  const [from, setFrom] = useState(view.from ? toLocalInput(view.from) : "");
  const [to, setTo] = useState(view.to ? toLocalInput(view.to) : "");
  const invalid = !from || !to || new Date(`${from}Z`) >= new Date(`${to}Z`);

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
      <button type="button" className={`chip${pinned ? " chip-on" : ""}`} aria-expanded={editing} onClick={() => setEditing(!editing)}>
        {pinned ? `${formatTime(view.from as string)} → ${formatTime(view.to as string)} UTC` : "Absolute…"}
      </button>
      {editing && (
        <form
          className="range-form"
          onSubmit={(event) => {
            event.preventDefault();
            if (invalid) return;
            void setView({ from: new Date(`${from}Z`).toISOString(), to: new Date(`${to}Z`).toISOString() });
            setEditing(false);
          }}
        >
          <label>
            From (UTC) <input type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} required />
          </label>
          <label>
            To (UTC) <input type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} required />
          </label>
          <button type="submit" className="button" disabled={invalid}>
            Apply
          </button>
        </form>
      )}
    </div>
  );
}
