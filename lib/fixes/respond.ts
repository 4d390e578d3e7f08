// The allow endpoints' reply: YAML to pipe into `kubectl apply -f -`, or JSON with the objects,
// that same YAML (to copy or download), the command lines, the formats on offer and every warning.
import { publicUrl } from "../rollouts/webhooks";
import { FORMAT_INFO, formatsFor, recommendedFormat, type FixBundle, type PathFix } from "./generate";
import { renderYaml } from "./render";
import { FIX_FORMATS, type FixFormat, type FixScope, type FixWarning, type KubeObject, type PathInput } from "./types";

export interface FormatOffer {
  format: FixFormat;
  apiVersion: string;
  kind: string;
  /** Whether some of the paths' drops came from a CNI that enforces it (Kubernetes: always). */
  available: boolean;
  /** The dropping CNI's own language (Kubernetes when there is none, or several). */
  recommended: boolean;
  note: string;
}

export interface AllowReply {
  format: FixFormat;
  apiVersion: string;
  kind: string;
  formats: FormatOffer[];
  /** The broader choices applied (as asked). */
  scope: FixScope[];
  /** Scopes that would let more be written (each named by a warning). */
  suggestedScopes: FixScope[];
  objects: KubeObject[];
  /** The objects as the YAML reply has them (comments included): to copy or download. */
  yaml: string;
  filename: string;
  apply: {
    /** Paste the YAML into this. */
    kubectl: string;
    /** Or pipe it from Dropboard. */
    curl: string;
    /** The YAML of this answer. */
    url: string;
  };
  clusters: string[];
  paths: PathFix[];
  warnings: FixWarning[];
}

export function formatOffers(paths: readonly PathInput[]): FormatOffer[] {
  const available = new Set(formatsFor(paths));
  const recommended = recommendedFormat(paths);
  return FIX_FORMATS.map((format) => ({
    format,
    apiVersion: FORMAT_INFO[format].apiVersion,
    kind: FORMAT_INFO[format].kind,
    available: available.has(format),
    recommended: format === recommended,
    note: FORMAT_INFO[format].note,
  }));
}

/** The YAML's own address: this request's path and query, for the chosen format, as YAML. */
function yamlUrl(request: Request, format: FixFormat): string {
  const url = new URL(request.url);
  url.searchParams.delete("output");
  url.searchParams.set("format", format);
  return `${publicUrl()}${url.pathname}?${url.searchParams.toString()}`;
}

export interface ReplyOptions {
  paths: readonly PathInput[];
  scope: FixScope[];
  title: string;
  filename: string;
  json: boolean;
}

export function allowReply(request: Request, bundle: FixBundle, options: ReplyOptions): Response {
  const yaml = renderYaml(bundle, options.title);
  if (!options.json) {
    return new Response(yaml, {
      status: 200,
      headers: {
        "content-type": "application/yaml; charset=utf-8",
        "content-disposition": `inline; filename="${options.filename}"`,
        "cache-control": "no-store",
      },
    });
  }
  const url = yamlUrl(request, bundle.format);
  const info = FORMAT_INFO[bundle.format];
  const reply: AllowReply = {
    format: bundle.format,
    apiVersion: info.apiVersion,
    kind: bundle.objects[0]?.kind ?? info.kind,
    formats: formatOffers(options.paths),
    scope: options.scope,
    suggestedScopes: [...new Set(bundle.warnings.map((w) => w.scope).filter((s): s is FixScope => s !== undefined && !options.scope.includes(s)))],
    objects: bundle.objects,
    yaml,
    filename: options.filename,
    apply: { kubectl: "kubectl apply -f -", curl: `curl -fsS '${url}' | kubectl apply -f -`, url },
    clusters: bundle.clusters,
    paths: bundle.paths,
    warnings: bundle.warnings,
  };
  return Response.json(reply, { headers: { "cache-control": "no-store" } });
}
