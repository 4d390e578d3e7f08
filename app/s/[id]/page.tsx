// /s/<id>: opens the pinned view a short link names.
import { notFound, redirect } from "next/navigation";
import { getShortLink } from "@/lib/queries/links/getShortLink";

export const dynamic = "force-dynamic";

export default async function ShortLinkPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const link = await getShortLink(id);
  if (!link) notFound();
  redirect(link.path);
}
