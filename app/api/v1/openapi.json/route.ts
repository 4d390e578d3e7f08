// GET /api/v1/openapi.json: the API as an OpenAPI 3.1 document, generated from the zod schemas the
// routes validate with (lib/openapi/document.ts). Built once per process: it changes only with the code.
import { openApiDocument } from "@/lib/openapi/document";

export const dynamic = "force-dynamic";

let cached: string | null = null;

export function GET(): Response {
  cached ??= JSON.stringify(openApiDocument());
  return new Response(cached, { headers: { "content-type": "application/json", "cache-control": "public, max-age=300" } });
}
