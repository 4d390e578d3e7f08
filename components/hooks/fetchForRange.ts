// Fetches a drops endpoint for a view's range, resolved when the request is made (a live range
// moves with now on every refresh); `previous` reads the period of equal length just before.
import { previousRange, resolveRange, type RangeSelection } from "@/lib/queries/timeRange";
import { fetchApi, type QueryValue } from "./fetchApi";

export function fetchForRange<T>(
  path: string,
  params: { selection: RangeSelection; previous?: boolean } & Record<string, QueryValue | RangeSelection | boolean | undefined>,
  signal?: AbortSignal,
): Promise<T> {
  const { selection, previous, ...rest } = params;
  const current = resolveRange(selection, new Date());
  const range = previous ? previousRange(current) : current;
  return fetchApi<T>(path, { ...(rest as Record<string, QueryValue>), from: range.from.toISOString(), to: range.to.toISOString() }, signal);
}
