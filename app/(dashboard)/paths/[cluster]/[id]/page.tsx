import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cache, Suspense } from "react";
import { PathView } from "@/components/PathView";
import { Skeleton } from "@/components/ui/states";
import { getDropPath } from "@/lib/queries/drops/getDropPath";
import { viewMetadata } from "../../../viewMetadata";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ cluster: string; id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

function clusterOf(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** One read per request for the title and the page. */
const readPath = cache(getDropPath);
const side = (namespace: string | null, workload: string | null) => [namespace ?? "(none)", workload].filter(Boolean).join("/");

export async function generateMetadata({ params, searchParams }: Props): Promise<Metadata> {
  const { cluster, id } = await params;
  const path = await readPath(clusterOf(cluster), id).catch(() => null);
  return viewMetadata(searchParams, path ? `${side(path.srcNamespace, path.srcWorkload)} → ${side(path.dstNamespace, path.dstWorkload)}:${path.dstPort ?? "–"}` : "drop path not found");
}

export default async function DropPathPage({ params }: Props) {
  const { cluster, id } = await params;
  const path = await readPath(clusterOf(cluster), id);
  if (!path) notFound();
  return (
    <Suspense fallback={<Skeleton height={400} label="Loading drop path" />}>
      <PathView path={path} />
    </Suspense>
  );
}
