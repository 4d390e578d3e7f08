// A missing rollout, drop path or namespace: said in the dashboard's frame (its layout's bar).
import type { Metadata } from "next";
import { NotFoundMessage } from "@/components/ui/NotFoundMessage";

export const metadata: Metadata = { title: "Not found · Dropboard" };

export default function NotFound() {
  return <NotFoundMessage />;
}
