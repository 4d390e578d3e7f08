// GETs a Dropboard API endpoint; a non-2xx reply becomes an Error carrying the API's message.
export type QueryValue = string | number | readonly string[] | null | undefined;

export function apiUrl(path: string, params: Record<string, QueryValue>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === null || value === undefined || value === "") continue;
    if (Array.isArray(value)) for (const item of value) search.append(key, item);
    else search.set(key, String(value));
  }
  const query = search.toString();
  return query ? `${path}?${query}` : path;
}

/** The reply's body, or an Error with the API's message (the error envelope's) for a non-2xx reply. */
export async function jsonOrError<T>(response: Response, url: string): Promise<T> {
  const body = (await response.json().catch(() => null)) as (T & { error?: { message?: string } }) | null;
  if (!response.ok) throw new Error(body?.error?.message ?? `${url.split("?")[0]} answered ${response.status}`);
  return body as T;
}

export async function fetchJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  return jsonOrError<T>(await fetch(url, { signal, headers: { accept: "application/json" } }), url);
}

export function fetchApi<T>(path: string, params: Record<string, QueryValue>, signal?: AbortSignal): Promise<T> {
  return fetchJson<T>(apiUrl(path, params), signal);
}
