import { RolloutsList } from "@/components/rollouts/RolloutsList";

export const metadata = { title: "Rollouts · Dropboard" };

export default function RolloutsPage() {
  return <RolloutsList />;
}
