"use client";
import { useQuery } from "@tanstack/react-query";
import { fetchApi } from "./fetchApi";

export interface ShortLinkView {
  id: string;
  title: string | null;
  path: string;
  createdAt: string;
  url: string;
}

export const linkKeys = { one: (id: string) => ["links", id] as const };

/** A short link (GET /api/v1/links/{id}): the title and view a shared link names. */
export function useShortLink(id: string | null) {
  return useQuery({
    queryKey: linkKeys.one(id ?? ""),
    queryFn: ({ signal }) => fetchApi<ShortLinkView>(`/api/v1/links/${encodeURIComponent(id ?? "")}`, {}, signal),
    enabled: id !== null,
    staleTime: 60_000,
  });
}
