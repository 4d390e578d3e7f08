// The query string of the allow endpoints, bounded and typed; and which representation to answer.
import { z } from "zod";
import { FIX_FORMATS, FIX_SCOPES, type FixFormat, type FixOptions } from "./types";

/** `?scope=namespace,ip` or `?scope=namespace&scope=ip`. */
const scopeList = z
  .union([z.string(), z.array(z.string())])
  .transform((value) => (Array.isArray(value) ? value : [value]).flatMap((v) => v.split(",")).map((v) => v.trim()).filter(Boolean))
  .pipe(z.array(z.enum(FIX_SCOPES)).max(FIX_SCOPES.length))
  .transform((scopes) => [...new Set(scopes)]);

const flag = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");
/** Calico and Antrea tier names: DNS labels. */
const tierName = z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "a tier name (lower-case letters, digits and '-')").max(63);

export const DEFAULT_ANTREA_PRIORITY = 5;

const common = {
  format: z.enum(FIX_FORMATS).optional(),
  scope: scopeList.optional(),
  staged: flag.optional(),
  tier: tierName.optional(),
  priority: z.coerce.number().min(1).max(10_000).optional(),
  output: z.enum(["json", "yaml"]).optional(),
};

export const pathAllowParams = z.strictObject(common);

export const rolloutAllowParams = z.strictObject({
  ...common,
  stage: z.coerce.number().int().min(1).max(100_000).optional(),
  cluster: z.string().min(1).max(253).optional(),
});

export type AllowParams = z.output<typeof pathAllowParams>;

/** JSON for `?output=json` or an Accept header asking for JSON (and not YAML); YAML otherwise. */
export function wantsJson(request: Request, output: "json" | "yaml" | undefined): boolean {
  if (output) return output === "json";
  const accept = (request.headers.get("accept") ?? "").toLowerCase();
  return accept.includes("application/json") && !accept.includes("yaml");
}

/** The generators' options from the query, for the format chosen. */
export function fixOptions(query: AllowParams, format: FixFormat): FixOptions {
  return {
    format,
    scope: query.scope ?? [],
    staged: query.staged ?? false,
    tier: query.tier ?? null,
    priority: query.priority ?? DEFAULT_ANTREA_PRIORITY,
  };
}
