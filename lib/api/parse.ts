// One typed parse step for query strings and JSON bodies: { data } or { response } with the 400 built.
import type { z } from "zod";
import { readBodyText } from "./body";
import { badRequest } from "./errors";

export type Parsed<T> = { data: T } | { response: Response };

function describe(error: z.ZodError, what: "parameter" | "field"): Response {
  const details = error.issues.map((issue) => ({
    // A query parameter is named as the user wrote it, not by its position in a list.
    field: (what === "parameter" ? String(issue.path[0] ?? "") : issue.path.join(".")) || what,
    reason: issue.message,
  }));
  const first = details[0];
  return badRequest(first ? `${what} "${first.field}": ${first.reason}` : `invalid ${what}`, details);
}

/** Repeated parameters (`?namespace=a&namespace=b`) arrive as arrays; single ones as strings. */
export function parseSearchParams<S extends z.ZodType>(url: URL | string, schema: S): Parsed<z.output<S>> {
  const params = (typeof url === "string" ? new URL(url) : url).searchParams;
  const raw: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
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
  const parsed = schema.safeParse(value);
  return parsed.success ? { data: parsed.data } : { response: describe(parsed.error, "field") };
}
