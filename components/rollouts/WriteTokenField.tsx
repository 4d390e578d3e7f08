"use client";
// Where the user gives this browser a write token, or takes it back.
import { useState } from "react";
import { saveWriteToken, useWriteToken } from "../hooks/writeApi";

export function WriteTokenField() {
  const token = useWriteToken();
  const [draft, setDraft] = useState("");
  if (token) {
    return (
      <div className="write-token">
        <span className="muted">Write token set in this browser.</span>{" "}
        <button type="button" className="link-button" onClick={() => saveWriteToken(null)}>
          Forget it
        </button>
      </div>
    );
  }
  return (
    <form
      className="write-token"
      onSubmit={(e) => {
        e.preventDefault();
        if (draft.trim()) saveWriteToken(draft);
        setDraft("");
      }}
    >
      <label>
        Write token{" "}
        <input type="password" value={draft} onChange={(e) => setDraft(e.target.value)} placeholder="dbt_…" aria-label="Write token" autoComplete="off" />
      </label>{" "}
      <button type="submit" className="button">
        Use token
      </button>{" "}
      <span className="muted">
        Recording changes needs one: <code>npm run dropboard -- token create --scope write</code>
      </span>
    </form>
  );
}
