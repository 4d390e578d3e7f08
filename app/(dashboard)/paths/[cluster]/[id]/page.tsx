import { notFound } from "next/navigation";
import { Suspense } from "react";
import { PathView } from "@/components/PathView";
import { Skeleton } from "@/components/ui/states";
import { getDropPath } from "@/lib/queries/drops/getDropPath";

export const dynamic = "force-dynamic";

export default async function DropPathPage({ params }: { params: Promise<{ cluster: string; id: string }> }) {
  const { cluster, id } = await params;
  const path = await getDropPath(decodeURIComponent(cluster), id);
  if (!path) notFound();
  return (
    <Suspense fallback={<Skeleton height={400} label="Loading drop path" />}>
      <PathView path={path} />
    </Suspense>
  );
}
