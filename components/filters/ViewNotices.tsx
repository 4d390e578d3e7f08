"use client";
// Above every dashboard page: the title of the short link the view was opened from (a banner),
// and the URL parameters the view ignored (a bad link shows what it left out, never a silent
// fallback).
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { ignoredParams } from "@/app/(dashboard)/search-params";
import { pinnedRange } from "@/lib/queries/timeRange";
import { useDropView } from "../hooks/dropView";
import { useShortLink } from "../hooks/useShortLink";
import { formatRange, formatTime } from "../ui/format";

/** Two views are the same when their paths and parameters (but the link itself) are. */
export function sameView(pathname: string, search: URLSearchParams, linkPath: string): boolean {
  const link = new URL(linkPath, "http://view");
  if (link.pathname !== pathname) return false;
  const canonical = (params: URLSearchParams) =>
    [...params.entries()]
      .filter(([key]) => key !== "link")
      .map(([key, value]) => `${key}=${value}`)
      .sort()
      .join("&");
  return canonical(link.searchParams) === canonical(search);
}

export function ViewNotices() {
  const search = useSearchParams();
  const pathname = usePathname();
  const router = useRouter();
  const [view] = useDropView();
  const pinned = pinnedRange(view);
  const ignored = ignoredParams(new URLSearchParams(search.toString()));
  const linkId = ignored.some((p) => p.name === "link") ? null : search.get("link");
  const link = useShortLink(linkId);
  const removeIgnored = () => {
    const next = new URLSearchParams(search.toString());
    for (const param of ignored) {
      const kept = (next.get(param.name) ?? "").split(",").filter((v) => v !== param.value);
      if (kept.length === 0 || ["range", "groupBy", "refresh", "from", "to", "link"].includes(param.name)) next.delete(param.name);
      else next.set(param.name, kept.join(","));
    }
    const query = next.toString();
    router.replace(query ? `${pathname}?${query}` : pathname);
  };
  return (
    <>
      {linkId && link.data && (
        <div className="link-banner" role="region" aria-label="Shared view">
          <span className="link-banner-title" data-testid="link-title">
            {link.data.title ?? "Shared view"}
          </span>
          <span className="muted">
            short link <code>/s/{link.data.id}</code> · created {formatTime(link.data.createdAt)} UTC
            {sameView(pathname, new URLSearchParams(search.toString()), link.data.path) ? (
              " · the shared view"
            ) : (
              <>
                {" · "}you changed the view since: <Link prefetch={false} href={`${link.data.path}${link.data.path.includes("?") ? "&" : "?"}link=${link.data.id}`}>back to the shared view</Link>
              </>
            )}
          </span>
        </div>
      )}
      {linkId && link.isError && (
        <div className="notice" role="status">
          The short link <code>/s/{linkId}</code> this view was opened from no longer exists; the view itself is in the address.
        </div>
      )}
      {ignored.length > 0 && (
        <div className="notice" role="status" aria-label="Ignored URL parameters" data-testid="ignored-params">
          <span>
            Ignored in the address:{" "}
            {ignored.map((p, i) => (
              <span key={`${p.name}-${p.value}-${i}`}>
                {i > 0 && "; "}
                <code>
                  {p.name}={p.value}
                </code>{" "}
                ({p.why})
              </span>
            ))}
            .{" "}
            {ignored.some((p) => ["range", "from", "to"].includes(p.name))
              ? `Showing ${pinned ? formatRange(pinned.from.getTime(), pinned.to.getTime()) : `the last ${view.range}`} instead.`
              : `Showing the view without ${ignored.length === 1 ? "it" : "them"}.`}
          </span>
          <button type="button" className="link-button" onClick={removeIgnored}>
            Remove from the address
          </button>
        </div>
      )}
    </>
  );
}
