// A missing page outside the dashboard's own pages (an unknown address, a deleted short link):
// the app's bar and what is missing, not the framework's blank page.
import type { Metadata } from "next";
import { NotFoundMessage } from "@/components/ui/NotFoundMessage";
import { TopBar } from "@/components/ui/TopBar";

export const metadata: Metadata = { title: "Not found · Dropboard" };

export default function NotFound() {
  return (
    <>
      <TopBar />
      <NotFoundMessage />
    </>
  );
}
