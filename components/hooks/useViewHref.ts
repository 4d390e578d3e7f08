"use client";
// Links between pages keep the view (range, filters) and drop what the target page fixes itself,
// and the short link the view was opened from (another page is not the shared view).
import { useSearchParams } from "next/navigation";

export function useViewHref(): (pathname: string, drop?: readonly string[]) => string {
  const search = useSearchParams();
  return (pathname, drop = []) => {
    const params = new URLSearchParams(search.toString());
    for (const key of [...drop, "link"]) params.delete(key);
    const query = params.toString();
    return query ? `${pathname}?${query}` : pathname;
  };
}
