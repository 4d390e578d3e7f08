// GET /api/v1/drops/paths/{cluster}/{id}/allow?format=kubernetes|cilium|calico|antrea[&scope=namespace,ip]
// [&staged=true][&tier=][&priority=][&output=json]: the narrowest allow rule for one drop path, as
// YAML for `kubectl apply -f -` (default, or Accept: application/yaml) or JSON (`output=json`,
// Accept: application/json) with the objects, the YAML, the formats on offer and every warning.
import { badRequest, notFound } from "@/lib/api/errors";
import { parsePathParam, parseSearchParams } from "@/lib/api/parse";
import { readFailure } from "@/lib/api/readFailure";
import { describeFlow } from "@/lib/fixes/endpoints";
import { formatsFor, generateFixes, recommendedFormat } from "@/lib/fixes/generate";
import { fixOptions, pathAllowParams, wantsJson } from "@/lib/fixes/params";
import { allowReply } from "@/lib/fixes/respond";
import { isDropPathId } from "@/lib/queries/drops/dropPathId";
import { getDropPathFixInput } from "@/lib/queries/fixes/getDropPathFixInput";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ cluster: string; id: string }> };

export async function GET(request: Request, context: Context): Promise<Response> {
  const query = parseSearchParams(request.url, pathAllowParams);
  if ("response" in query) return query.response;
  const params = await context.params;
  const cluster = parsePathParam(params.cluster, "cluster", /^.{1,253}$/su, (c) => `no drop path in cluster "${c}"`);
  if ("response" in cluster) return cluster.response;
  const id = parsePathParam(params.id, "id", /^\d{1,19}$/, (i) => `no drop path ${i}`);
  if ("response" in id) return id.response;
  if (!isDropPathId(id.data)) return notFound(`no drop path ${id.data}`);
  try {
    const path = await getDropPathFixInput(cluster.data, id.data);
    if (!path) return notFound(`no drop path ${id.data} in cluster "${cluster.data}"`);
    const formats = formatsFor([path]);
    const format = query.data.format ?? recommendedFormat([path]);
    if (!formats.includes(format)) {
      const reason = `this path's drops did not come from the CNI that enforces it; use ${formats.join(" or ")}`;
      return badRequest(`parameter "format": ${reason}`, [{ field: "format", reason }]);
    }
    const bundle = generateFixes([path], fixOptions(query.data, format));
    const flow = describeFlow(path);
    return allowReply(request, bundle, {
      paths: [path],
      scope: query.data.scope ?? [],
      title: `allow ${flow} (cluster ${path.cluster}, drop path ${path.id})`,
      filename: `${bundle.objects[0]?.metadata.name ?? `allow-drop-path-${path.id}`}.yaml`,
      json: wantsJson(request, query.data.output),
    });
  } catch (error) {
    return readFailure(error, "drops/paths/allow");
  }
}
