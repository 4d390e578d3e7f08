// One drop path and its example events, for "Allow this path": null when there is no such path.
import type { PathInput } from "../../fixes/types";
import { getDropPath } from "../drops/getDropPath";
import { getPathExamples } from "./getPathExamples";

export async function getDropPathFixInput(cluster: string, id: string): Promise<PathInput | null> {
  const path = await getDropPath(cluster, id);
  return path ? getPathExamples(path) : null;
}
