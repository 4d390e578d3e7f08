-- A verdict you can gate on (issue 10): scopes resolved when a transition is recorded, recorded
-- promotion overrides, a soak period that completes a rollout, and collector liveness per cluster.

-- AlterTable: a transition keeps its classes' patterns as they were when it was recorded, so a later
-- class edit does not rewrite past stages; a promotion of a breached stage records its reason.
ALTER TABLE "rollout_transitions" ADD COLUMN "class_patterns" JSONB NOT NULL DEFAULT '[]';
ALTER TABLE "rollout_transitions" ADD COLUMN "override" VARCHAR(2000);

-- Past transitions get their classes' patterns as they are now: the best record there is.
UPDATE "rollout_transitions" t
SET "class_patterns" = coalesce((
  SELECT jsonb_agg(jsonb_build_object('name', c."name", 'patterns', to_jsonb(c."patterns")) ORDER BY c."name")
  FROM "namespace_classes" c WHERE c."name" = ANY(t."classes")
), '[]'::jsonb);

-- AlterTable: ENFORCED plus a soak period completes a rollout; its final verdict is kept.
ALTER TABLE "rollouts" ADD COLUMN "soak_minutes" INTEGER;
ALTER TABLE "rollouts" ADD COLUMN "completed_at" TIMESTAMPTZ(3);

-- CreateTable: when each cluster's collector last checked in (any ingest request or a heartbeat).
-- Silence is not health: a cluster that drops nothing sends nothing, so liveness has its own record.
CREATE TABLE "cluster_checkins" (
    "cluster" VARCHAR(253) NOT NULL,
    "first_seen_at" TIMESTAMPTZ(3) NOT NULL,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL,
    "last_heartbeat_at" TIMESTAMPTZ(3),
    "collector" VARCHAR(200),

    CONSTRAINT "cluster_checkins_pkey" PRIMARY KEY ("cluster")
);

-- Clusters that sent drops before this upgrade have checked in at least when their last drop came.
INSERT INTO "cluster_checkins" ("cluster", "first_seen_at", "last_seen_at")
SELECT "cluster", min("first_seen"), max("last_seen") FROM "drop_paths" GROUP BY "cluster";
