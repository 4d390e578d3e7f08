import { notFound } from "next/navigation";
import { Suspense } from "react";
import { RolloutPage } from "@/components/rollouts/RolloutPage";
import { Skeleton } from "@/components/ui/states";
import { getRollout } from "@/lib/queries/rollouts/getRollout";

export default async function RolloutRoute({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const rollout = await getRollout(id);
  if (!rollout) notFound();
  return (
    <Suspense fallback={<Skeleton height={400} label="Loading rollout" />}>
      <RolloutPage id={id} initialName={rollout.name} />
    </Suspense>
  );
}
