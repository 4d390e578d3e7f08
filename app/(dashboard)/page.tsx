// The overview page. Its state is the URL (search-params.ts); the client part reads it with nuqs.
import { Suspense } from "react";
import { Overview } from "@/components/Overview";
import { Skeleton } from "@/components/ui/states";

export default function OverviewPage() {
  return (
    <Suspense fallback={<Skeleton height={400} label="Loading dashboard" />}>
      <Overview />
    </Suspense>
  );
}
