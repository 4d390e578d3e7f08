// The tab title of a dashboard view: the page's own, or the title of the short link it was opened
// from (`link=<id>`, see /s/<id>).
import type { Metadata } from "next";
import { getShortLink } from "@/lib/queries/links/getShortLink";
import { SHORT_LINK_ID_PATTERN } from "./search-params";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export async function viewMetadata(searchParams: SearchParams, pageTitle: string | null): Promise<Metadata> {
  const link = (await searchParams).link;
  const id = typeof link === "string" && SHORT_LINK_ID_PATTERN.test(link) ? link : null;
  const shared = id ? await getShortLink(id).catch(() => null) : null;
  const parts = [shared?.title, pageTitle, "Dropboard"].filter((part): part is string => Boolean(part));
  return { title: parts.join(" · ") };
}
