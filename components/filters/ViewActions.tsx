"use client";
// Auto-refresh and Copy link: a copied link pins a live range to absolute times, so it shows the
// same picture tomorrow.
import { useState } from "react";
import { resolveRange } from "@/lib/queries/timeRange";
import { REFRESH_INTERVALS, type RefreshInterval } from "@/app/(dashboard)/search-params";
import { useDropView } from "../hooks/dropView";

export function pinnedUrl(href: string, from: Date, to: Date): string {
  const url = new URL(href);
  url.searchParams.set("from", from.toISOString());
  url.searchParams.set("to", to.toISOString());
  url.searchParams.delete("refresh");
  return url.toString();
}

export function ViewActions() {
  const [view, setView] = useDropView();
  const [copied, setCopied] = useState<string | null>(null);
  const pinned = Boolean(view.from && view.to);

  async function copyLink() {
    const range = resolveRange(view, new Date());
    const link = pinnedUrl(window.location.href, range.from, range.to);
    try {
      await navigator.clipboard.writeText(link);
      setCopied("Link copied");
    } catch {
      window.prompt("Copy this link", link);
      setCopied("Link ready");
    }
    setTimeout(() => setCopied(null), 2500);
  }

  return (
    <div className="view-actions">
      <label className="select-label">
        Refresh
        <select
          value={pinned ? "off" : view.refresh}
          disabled={pinned}
          title={pinned ? "A pinned range does not change" : "Auto-refresh (paused while the tab is hidden)"}
          onChange={(e) => void setView({ refresh: e.target.value as RefreshInterval })}
        >
          {Object.keys(REFRESH_INTERVALS).map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </label>
      <button type="button" className="button" onClick={() => void copyLink()} data-testid="copy-link">
        Copy link
      </button>
      <span className="copied" role="status" aria-live="polite">
        {copied}
      </span>
    </div>
  );
}
