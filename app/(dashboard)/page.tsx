// The overview page. Its state is the URL (search-params.ts); the client part reads it with nuqs.
import type { Metadata } from "next";
import { Suspense } from "react";
import { Overview } from "@/components/Overview";
import { Skeleton } from "@/components/ui/states";
import { viewMetadata } from "./viewMetadata";

export function generateMetadata({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }): Promise<Metadata> {
  return viewMetadata(searchParams, null);
}

export default function OverviewPage() {
  return (
    <Suspense fallback={<Skeleton height={400} label="Loading dashboard" />}>
      <Overview />
    </Suspense>
  );
}
