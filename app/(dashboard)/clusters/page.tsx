import { ClustersView } from "@/components/ClustersView";

export const metadata = { title: "Clusters · Dropboard" };

export default function ClustersPage() {
  return <ClustersView />;
}
