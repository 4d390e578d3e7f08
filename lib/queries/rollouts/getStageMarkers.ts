// Stage transitions to draw on drops charts: those in the range whose rollout covers the shown
// clusters and whose scope touches the shown namespaces.
import { getPrisma } from "../../db/prisma";
import { inScope, isWholeCluster, type Scope } from "../../rollouts/scope";
import type { RolloutStage } from "../../rollouts/stages";
import type { TimeRange } from "../timeRange";
import { listNamespaceClasses } from "./getNamespaceClasses";

export interface StageMarker {
  rolloutId: string;
  rolloutName: string;
  seq: number;
  stage: RolloutStage;
  at: string;
  actor: string;
  note: string | null;
  namespaces: string[];
  classes: string[];
}

export interface MarkerFilters {
  cluster?: string[];
  namespace?: string[];
}

export async function getStageMarkers(range: TimeRange, filters: MarkerFilters): Promise<StageMarker[]> {
  const transitions = await getPrisma().rolloutTransition.findMany({
    where: { at: { gte: range.from, lte: range.to } },
    include: { rollout: { select: { name: true, clusters: true } } },
    orderBy: { at: "asc" },
    take: 500,
  });
  const classes = new Map((await listNamespaceClasses()).map((c) => [c.name, c]));
  return transitions
    .filter((t) => {
      const clusters = t.rollout.clusters;
      if (filters.cluster?.length && clusters.length > 0 && !clusters.some((c) => filters.cluster?.includes(c))) return false;
      if (!filters.namespace?.length) return true;
      const scope: Scope = {
        namespaces: t.namespaces,
        classes: t.classes.map((name) => classes.get(name) ?? { name, patterns: ["!*"] }),
      };
      return isWholeCluster(scope) || filters.namespace.some((ns) => inScope(ns, scope));
    })
    .map((t) => ({
      rolloutId: t.rolloutId,
      rolloutName: t.rollout.name,
      seq: t.seq,
      stage: t.stage,
      at: t.at.toISOString(),
      actor: t.actor,
      note: t.note,
      namespaces: t.namespaces,
      classes: t.classes,
    }));
}
