"use client";
// Auto-refresh and Copy link: a copied link pins a live range to absolute times, so it shows the
// same picture tomorrow.
import { useMutation } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { resolveRange, type TimeRange } from "@/lib/queries/timeRange";
import { REFRESH_INTERVALS, type RefreshInterval } from "@/app/(dashboard)/search-params";
import { isPinned, useDropView } from "../hooks/dropView";

export function pinnedUrl(href: string, from: Date, to: Date): string {
  const url = new URL(href);
  url.searchParams.set("from", from.toISOString());
  url.searchParams.set("to", to.toISOString());
  url.searchParams.delete("refresh");
  // The short link it was opened from is not part of the view.
  url.searchParams.delete("link");
  return url.toString();
}

/** `shown`: the range the page shows (whole buckets), which a copied or shared link pins. */
export function ViewActions({ shown }: { shown?: TimeRange | null }) {
  const [view, setView] = useDropView();
  const [copied, setCopied] = useState<string | null>(null);
  const pinned = isPinned(view);

  async function copyLink() {
    const range = shown ?? resolveRange(view, new Date());
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
      <ShareButton shown={shown} />
      <span className="copied" role="status" aria-live="polite">
        {copied}
      </span>
    </div>
  );
}

/** Share: a short link (/s/<id>, optional title) to this view with its range pinned. */
function ShareButton({ shown }: { shown?: TimeRange | null }) {
  const [view] = useDropView();
  const [open, setOpen] = useState(false);
  const [title, setTitle] = useState("");
  const toggle = useRef<HTMLButtonElement>(null);
  const share = useMutation({
    mutationFn: async () => {
      const range = shown ?? resolveRange(view, new Date());
      const pinned = new URL(pinnedUrl(window.location.href, range.from, range.to));
      const response = await fetch("/api/v1/links", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ path: pinned.pathname + pinned.search, title: title || undefined }),
      });
      const body = (await response.json()) as { url?: string; error?: { message: string } };
      if (!response.ok || !body.url) throw new Error(body.error?.message ?? `sharing failed (${response.status})`);
      const link = new URL(body.url, window.location.origin).toString();
      await navigator.clipboard?.writeText(link).catch(() => undefined);
      return link;
    },
  });
  return (
    <div className="share">
      <button ref={toggle} type="button" className="button" aria-expanded={open} onClick={() => setOpen(!open)}>
        Share
      </button>
      {open && (
        <form
          className="share-form"
          aria-label="Share this view"
          onKeyDown={(e) => {
            if (e.key === "Escape") {
              e.preventDefault();
              setOpen(false);
              toggle.current?.focus();
            }
          }}
          onSubmit={(event) => {
            event.preventDefault();
            share.mutate();
          }}
        >
          <label>
            Title (optional)
            <input value={title} maxLength={200} autoFocus onChange={(e) => setTitle(e.target.value)} placeholder="e.g. payments canary, 14:00 incident" />
          </label>
          <button type="submit" className="button" disabled={share.isPending}>
            Create short link
          </button>
          {share.data && (
            <output className="share-link" data-testid="short-link">
              {share.data}
            </output>
          )}
          {share.isError && <span role="alert">{share.error.message}</span>}
        </form>
      )}
    </div>
  );
}
