// The bundle as YAML for `kubectl apply -f -`: one document per object, each under a comment naming
// the drop path it allows, and a header with every warning, so a downloaded file explains itself.
import { Document } from "yaml";
import { FORMAT_INFO, type FixBundle } from "./generate";
import { ANNOTATION_PATH } from "./objects";
import type { KubeObject } from "./types";

const comment = (lines: readonly string[]) => lines.map((line) => ` ${line}`.replace(/\n/g, " ")).join("\n");

function header(bundle: FixBundle, title: string): string[] {
  const info = FORMAT_INFO[bundle.format];
  const kind = bundle.objects.some((o) => o.kind === "StagedNetworkPolicy") ? "StagedNetworkPolicy" : info.kind;
  const lines = [
    `Dropboard: ${title}`,
    `${bundle.objects.length} ${kind} object(s) (${info.apiVersion}) for ${bundle.paths.length} drop path(s)${bundle.clusters.length > 0 ? `, cluster ${bundle.clusters.join(", ")}` : ""}`,
  ];
  if (bundle.objects.length === 0) lines.push("Nothing to apply: no rule could be written narrowly enough (see the warnings).");
  if (bundle.warnings.length > 0) {
    lines.push("Warnings:");
    for (const w of bundle.warnings) lines.push(`- ${w.pathId ? `[${w.cluster}/${w.pathId}] ` : ""}${w.message}`);
  }
  return lines;
}

function objectComment(bundle: FixBundle, object: KubeObject): string[] {
  const pathKey = object.metadata.annotations?.[ANNOTATION_PATH];
  const path = bundle.paths.find((p) => `${p.cluster}/${p.id}` === pathKey);
  return path ? [`Allows ${path.flow} (cluster ${path.cluster}, drop path ${path.id})`] : [];
}

/** Every object as one YAML stream; a header comment only when there is nothing to apply. */
export function renderYaml(bundle: FixBundle, title: string): string {
  const docs = bundle.objects.map((object, index) => {
    const doc = new Document(object);
    const lines = [...(index === 0 ? [...header(bundle, title), ""] : []), ...objectComment(bundle, object)];
    if (lines.length > 0) doc.commentBefore = comment(lines);
    return doc.toString({ lineWidth: 0 });
  });
  if (docs.length === 0) return `${comment(header(bundle, title)).split("\n").map((line) => `#${line}`).join("\n")}\n`;
  return docs.join("---\n");
}
