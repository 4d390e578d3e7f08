import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { NamespaceView } from "@/components/NamespaceView";
import { Skeleton } from "@/components/ui/states";
import { viewMetadata } from "../../viewMetadata";
import { namespaceOf } from "./namespaceName";

type Props = { params: Promise<{ name: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params, searchParams }: Props): Promise<Metadata> {
  return viewMetadata(searchParams, namespaceOf((await params).name));
}

export default async function NamespacePage({ params }: Props) {
  const name = namespaceOf((await params).name);
  if (name === null) notFound();
  return (
    <Suspense fallback={<Skeleton height={400} label="Loading namespace" />}>
      <NamespaceView name={name} />
    </Suspense>
  );
}
