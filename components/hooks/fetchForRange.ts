// Fetches a drops endpoint for a range: the page's window when the params carry one (every panel
// of a page then covers exactly the same span), else the selection's window resolved when the
// request is made (a live range moves with now on every refresh). `previous` reads the period of
// equal length just before.
import { previousRange, viewWindow, type ViewWindow } from "@/lib/queries/timeRange";
import type { RangeParams, WindowKey } from "./dropKeys";
import { apiUrl, fetchJson, type QueryValue } from "./fetchApi";

export function windowOf(params: RangeParams): ViewWindow {
  const window = params.window;
  return window ? { from: new Date(window.from), to: new Date(window.to), step: window.step, live: false } : viewWindow(params.selection, new Date());
}

/** The window as a query key holds it. */
export const windowKey = (window: ViewWindow): WindowKey => ({ from: window.from.toISOString(), to: window.to.toISOString(), step: window.step });

export type RangeRequestParams = RangeParams & { previous?: boolean } & Record<string, unknown>;

/** The URL (path and query) a range request asks: the browser fetches it, the server answers it in place when prefetching. */
export function rangeUrl(path: string, params: RangeRequestParams, options: { step?: boolean } = {}): string {
  const { selection: _selection, window: _window, previous, ...rest } = params;
  const window = windowOf(params);
  const range = previous ? previousRange(window) : window;
  return apiUrl(path, {
    ...(rest as Record<string, QueryValue>),
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    ...(options.step ? { step: window.step } : {}),
  });
}

export function fetchForRange<T>(path: string, params: RangeRequestParams, signal?: AbortSignal, options: { step?: boolean } = {}): Promise<T> {
  return fetchJson<T>(rangeUrl(path, params, options), signal);
}
