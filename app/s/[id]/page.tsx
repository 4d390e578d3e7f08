// /s/<id>: opens the pinned view a short link names, marked with the link (`link=<id>`) so the
// view shows its title as a banner and in the tab. An unknown id is the app's 404 page.
import { notFound, redirect } from "next/navigation";
import { getShortLink } from "@/lib/queries/links/getShortLink";
import { withLinkParam } from "./linkParam";

export const dynamic = "force-dynamic";

export default async function ShortLinkPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const link = await getShortLink(id);
  if (!link) notFound();
  redirect(withLinkParam(link.path, link.id));
}
