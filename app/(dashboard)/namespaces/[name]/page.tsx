import { Suspense } from "react";
import { NamespaceView } from "@/components/NamespaceView";
import { Skeleton } from "@/components/ui/states";

export default async function NamespacePage({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  return (
    <Suspense fallback={<Skeleton height={400} label="Loading namespace" />}>
      <NamespaceView name={decodeURIComponent(name)} />
    </Suspense>
  );
}
