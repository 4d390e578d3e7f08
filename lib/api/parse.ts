// One typed parse step for query strings, JSON bodies and path parameters: { data } or
// { response } with the 4xx built. PostgreSQL text cannot hold NUL (STACK.md trap 21), so every
// value that comes in here is refused with a 400 naming it when it carries one.
import type { z } from "zod";
import { readBodyText } from "./body";
import { badRequest, notFound } from "./errors";

export type Parsed<T> = { data: T } | { response: Response };

const NUL = "\u0000";
const nulMessage = (what: string, name: string) => badRequest(`${what} "${name}": must not contain a NUL character (\\u0000)`, [{ field: name, reason: "contains a NUL character" }]);

function describe(error: z.ZodError, what: "parameter" | "field"): Response {
  const details = error.issues.map((issue) => ({
    // A query parameter is named as the user wrote it, not by its position in a list.
    field: (what === "parameter" ? String(issue.path[0] ?? "") : issue.path.join(".")) || what,
    reason: issue.message,
  }));
  const first = details[0];
  return badRequest(first ? `${what} "${first.field}": ${first.reason}` : `invalid ${what}`, details);
}

interface Visit {
  value: unknown;
  key: string | null;
  parent: Visit | null;
}

const pathOf = (visit: Visit | null, last?: string): string => {
  const keys = last === undefined ? [] : [last];
  for (let v = visit; v && v.key !== null; v = v.parent) keys.unshift(v.key);
  return keys.join(".");
};

/**
 * The path (e.g. "name" or "policies.2") of the first string or key holding a NUL; null when none
 * does. Iterative, with parent links: a body of 64 KiB can nest arrays 30,000 deep, past any
 * recursion limit.
 */
export function findNul(value: unknown): string | null {
  const stack: Visit[] = [{ value, key: null, parent: null }];
  for (let visit = stack.pop(); visit; visit = stack.pop()) {
    const current = visit.value;
    if (typeof current === "string") {
      if (current.includes(NUL)) return pathOf(visit) || "body";
    } else if (typeof current === "object" && current !== null) {
      const entries = Array.isArray(current) ? current.map((v, i) => [String(i), v] as const) : Object.entries(current);
      // Pushed in reverse, so fields are visited in document order.
      for (const [key, child] of entries.reverse()) {
        if (key.includes(NUL)) return pathOf(visit, key.replaceAll(NUL, "\\u0000"));
        stack.push({ value: child, key, parent: visit });
      }
    }
  }
  return null;
}

/** Repeated parameters (`?namespace=a&namespace=b`) arrive as arrays; single ones as strings. */
export function parseSearchParams<S extends z.ZodType>(url: URL | string, schema: S): Parsed<z.output<S>> {
  const params = (typeof url === "string" ? new URL(url) : url).searchParams;
  const raw: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    if (key.includes(NUL) || values.some((v) => v.includes(NUL))) return { response: nulMessage("parameter", key.replaceAll(NUL, "\\u0000")) };
    raw[key] = values.length === 1 ? (values[0] as string) : values;
  }
  const parsed = schema.safeParse(raw);
  return parsed.success ? { data: parsed.data } : { response: describe(parsed.error, "parameter") };
}

/**
 * A JSON body read through the same byte cap as ingest (413 past it, never read whole first).
 * `emptyBody`: what an empty body means, for calls whose fields are all optional.
 */
export async function parseJsonBody<S extends z.ZodType>(request: Request, schema: S, maxBytes = 64 * 1024, emptyBody?: unknown): Promise<Parsed<z.output<S>>> {
  const body = await readBodyText(request, maxBytes);
  if ("response" in body) return body;
  let value: unknown;
  try {
    value = emptyBody !== undefined && body.text.trim() === "" ? emptyBody : JSON.parse(body.text);
  } catch {
    return { response: badRequest("body is not valid JSON") };
  }
  const nulAt = findNul(value);
  if (nulAt !== null) return { response: nulMessage("field", nulAt) };
  const parsed = schema.safeParse(value);
  return parsed.success ? { data: parsed.data } : { response: describe(parsed.error, "field") };
}

/**
 * A path parameter (`/rollouts/{id}`): 400 when it holds a NUL, 404 (`notFoundMessage`) when it
 * cannot name anything (does not match `pattern`). Next.js hands path parameters over decoded.
 */
export function parsePathParam(value: string, name: string, pattern: RegExp, notFoundMessage: (shown: string) => string): Parsed<string> {
  if (value.includes(NUL)) return { response: nulMessage("path parameter", name) };
  if (!pattern.test(value)) return { response: notFound(notFoundMessage(value.slice(0, 60))) };
  return { data: value };
}
