// GET /api/v1/rollouts/{id}/allow?format=...[&stage=N][&cluster=][&scope=][&staged=][&tier=]
// [&priority=][&output=json]: one bundle of allow rules for every surprise of the rollout's current
// (or a past) stage: the paths the health verdict calls surprises. YAML or JSON as for one path.
import { badRequest, notFound } from "@/lib/api/errors";
import { parseSearchParams } from "@/lib/api/parse";
import { rolloutIdParam } from "@/lib/api/pathParams";
import { readFailure } from "@/lib/api/readFailure";
import { formatsFor, generateFixes, recommendedFormat } from "@/lib/fixes/generate";
import { fixOptions, rolloutAllowParams, wantsJson } from "@/lib/fixes/params";
import { allowReply } from "@/lib/fixes/respond";
import { getRolloutSurpriseInputs } from "@/lib/queries/fixes/getRolloutSurpriseInputs";
import { findRollout } from "@/lib/queries/rollouts/getRollout";

export const dynamic = "force-dynamic";

const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40) || "rollout";

export async function GET(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  const query = parseSearchParams(request.url, rolloutAllowParams);
  if ("response" in query) return query.response;
  const param = await rolloutIdParam(context);
  if ("response" in param) return param.response;
  const id = param.data;
  try {
    const rollout = await findRollout(id);
    if (!rollout) return notFound(`no rollout ${id}`);
    const { stage, cluster } = query.data;
    if (stage !== undefined && !rollout.transitions.some((t) => t.seq === stage)) return notFound(`rollout ${id} has no stage ${stage}`);
    const inputs = await getRolloutSurpriseInputs(rollout, new Date(), { stage, cluster });
    const format = query.data.format ?? recommendedFormat(inputs.paths);
    const formats = formatsFor(inputs.paths);
    if (inputs.paths.length > 0 && !formats.includes(format)) {
      const reason = `none of the surprises' drops came from the CNI that enforces it; use ${formats.join(" or ")}`;
      return badRequest(`parameter "format": ${reason}`, [{ field: "format", reason }]);
    }
    const bundle = generateFixes(inputs.paths, fixOptions(query.data, format));
    if (inputs.paths.length === 0) {
      bundle.warnings.push({ code: "no_surprises", message: `the stage has no surprise drop paths${cluster ? ` in cluster ${cluster}` : ""}: nothing to allow` });
    }
    if (inputs.leftOut > 0) {
      bundle.warnings.push({ code: "too_many_paths", message: `${inputs.leftOut} more surprise path(s) were left out (at most ${inputs.paths.length} in one bundle, most dropped first): pass cluster=<name> to take one cluster at a time` });
    }
    const stageText = rollout.transitions.find((t) => t.seq === (stage ?? rollout.currentStage?.seq))?.stage ?? "no stage";
    return allowReply(request, bundle, {
      paths: inputs.paths,
      scope: query.data.scope ?? [],
      title: `allow the surprises of rollout "${rollout.name}" (${stageText})`,
      filename: `allow-surprises-${slug(rollout.name)}.yaml`,
      json: wantsJson(request, query.data.output),
    });
  } catch (error) {
    return readFailure(error, "rollouts/allow");
  }
}
