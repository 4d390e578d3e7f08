"use client";
// What a 404 says: which thing is missing, from the address asked for.
import Link from "next/link";
import { usePathname } from "next/navigation";

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Printable: control characters (a NUL in the address) shown as \u0000. */
const printable = (text: string) => text.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);

export function describeMissing(pathname: string): { title: string; detail: string } {
  const parts = pathname.split("/").filter(Boolean).map((p) => printable(safeDecode(p)));
  const [section, a, b] = parts;
  if (section === "s" && a) return { title: "No such short link", detail: `There is no short link /s/${a}: it was deleted, or the address is mistyped. Short links never expire on their own.` };
  if (section === "rollouts" && a) return { title: "No such rollout", detail: `There is no rollout ${a}: it may have been deleted. The list of rollouts has every one there is.` };
  if (section === "paths" && a && b) return { title: "No such drop path", detail: `Cluster ${a} has no drop path ${b}. Drop path ids are numbers; the overview's paths table links to each one.` };
  if (section === "namespaces" && a) return { title: "Not a namespace name", detail: `"${a}" cannot be a namespace: names are 1 to 253 characters, without control characters.` };
  return { title: "Page not found", detail: `Nothing lives at ${printable(safeDecode(pathname))}.` };
}

export function NotFoundMessage() {
  const pathname = usePathname();
  const { title, detail } = describeMissing(pathname ?? "/");
  const section = pathname?.split("/")[1];
  return (
    <main className="page">
      <section className="panel not-found" aria-labelledby="not-found-title">
        <p className="not-found-code">404</p>
        <h1 id="not-found-title" className="page-title">
          {title}
        </h1>
        <p>{detail}</p>
        <p className="not-found-links">
          <Link prefetch={false} href="/">Overview</Link>
          {section === "rollouts" && <Link prefetch={false} href="/rollouts">All rollouts</Link>}
          <Link prefetch={false} href="/clusters">Clusters</Link>
        </p>
      </section>
    </main>
  );
}
