import { Suspense, type ReactNode } from "react";
import { FreshnessBanner } from "@/components/FreshnessBanner";
import { ViewNotices } from "@/components/filters/ViewNotices";
import { Providers } from "@/components/providers";
import { TopBar } from "@/components/ui/TopBar";
import { StoredTotals } from "./StoredTotals";

export const dynamic = "force-dynamic";

export default function DashboardLayout({ children }: { children: ReactNode }) {
  return (
    <Providers>
      <TopBar />
      {/* Reads the URL (nuqs): a Suspense boundary keeps prerendering possible. */}
      <Suspense fallback={null}>
        <FreshnessBanner />
        <ViewNotices />
      </Suspense>
      {children}
      <Suspense fallback={<footer className="footer">&nbsp;</footer>}>
        <StoredTotals />
      </Suspense>
    </Providers>
  );
}
