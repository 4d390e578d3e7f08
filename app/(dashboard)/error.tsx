"use client";
// A page that failed to render: what happened, and a way to try again, in the dashboard's frame.
import Link from "next/link";
import { useEffect } from "react";

export default function DashboardError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <main className="page">
      <section className="panel not-found" role="alert">
        <h1 className="page-title">This page failed to load</h1>
        <p className="muted">
          {error.digest ? `The server logged it as ${error.digest}. ` : ""}
          Try again; if it keeps failing, the server&apos;s log says why.
        </p>
        <p className="not-found-links">
          <button type="button" className="button" onClick={reset}>
            Try again
          </button>
          <Link prefetch={false} href="/">Overview</Link>
        </p>
      </section>
    </main>
  );
}
