// Where /s/<id> sends the browser.

/** The link's path with `link=<id>` added (replacing any it held). */
export function withLinkParam(path: string, id: string): string {
  const url = new URL(path, "http://dropboard");
  url.searchParams.set("link", id);
  return `${url.pathname}${url.search}${url.hash}`;
}
