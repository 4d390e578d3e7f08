// A rollout stage's surprises (new drop paths audit mode never predicted), each with its example
// events, for "Allow all surprises". The surprises are the health verdict's own list
// (getRolloutHealth), so the bundle allows exactly what the rollout page calls a surprise.
import type { PathInput } from "../../fixes/types";
import type { RolloutView } from "../rollouts/getRollout";
import { getRolloutHealth } from "../rollouts/getRolloutHealth";
import { getPathExamples } from "./getPathExamples";

/** At most this many surprises go into one bundle (the health reply lists at most 200). */
export const MAX_BUNDLE_PATHS = 100;
/** Example reads in flight at once: the read pool has few connections and other reads need them too. */
const CONCURRENCY = 4;

export interface RolloutSurpriseInputs {
  paths: PathInput[];
  /** Surprises in the stage, before the cluster filter and the cap. */
  surprises: number;
  /** Surprises left out by the cap. */
  leftOut: number;
}

export async function getRolloutSurpriseInputs(rollout: RolloutView, now: Date, options: { stage?: number; cluster?: string }): Promise<RolloutSurpriseInputs> {
  const health = await getRolloutHealth(rollout, now, options.stage);
  const inCluster = health.surprises.filter((p) => options.cluster === undefined || p.cluster === options.cluster);
  const chosen = inCluster.slice(0, MAX_BUNDLE_PATHS);
  const paths: PathInput[] = new Array(chosen.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < chosen.length; i = next++) {
      const path = chosen[i];
      if (path) paths[i] = await getPathExamples(path);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, chosen.length) }, worker));
  return { paths, surprises: health.surprises.length, leftOut: inCluster.length - chosen.length };
}
