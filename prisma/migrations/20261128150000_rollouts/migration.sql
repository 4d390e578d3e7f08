-- Policy rollouts: namespace classes, rollouts with budgets, stage transitions, acknowledged
-- drop paths and webhook deliveries.

-- CreateEnum
CREATE TYPE "RolloutStage" AS ENUM ('OBSERVE', 'CANARY', 'EXPAND', 'ENFORCED', 'ROLLED_BACK');

-- CreateEnum
CREATE TYPE "HealthVerdict" AS ENUM ('HEALTHY', 'AT_RISK', 'BREACHED', 'INSUFFICIENT_DATA');

-- CreateTable
CREATE TABLE "namespace_classes" (
    "id" VARCHAR(32) NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "description" VARCHAR(2000),
    "patterns" TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "namespace_classes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rollouts" (
    "id" VARCHAR(32) NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "description" VARCHAR(4000),
    "owner" VARCHAR(200),
    "change_url" VARCHAR(2000),
    "policy_kind" VARCHAR(100),
    "policies" TEXT[],
    "clusters" TEXT[],
    "max_new_paths" INTEGER,
    "max_extra_drops_per_min" DOUBLE PRECISION,
    "max_increase_pct" DOUBLE PRECISION,
    "baseline_minutes" INTEGER,
    "webhook_url" VARCHAR(2000),
    "last_verdict" "HealthVerdict",
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "rollouts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rollout_transitions" (
    "id" VARCHAR(32) NOT NULL,
    "rollout_id" VARCHAR(32) NOT NULL,
    "seq" INTEGER NOT NULL,
    "stage" "RolloutStage" NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "namespaces" TEXT[],
    "classes" TEXT[],
    "actor" VARCHAR(200) NOT NULL,
    "note" VARCHAR(2000),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "rollout_transitions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "path_acknowledgements" (
    "cluster" VARCHAR(253) NOT NULL,
    "drop_path_id" BIGINT NOT NULL,
    "actor" VARCHAR(200) NOT NULL,
    "reason" VARCHAR(2000) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "path_acknowledgements_pkey" PRIMARY KEY ("cluster","drop_path_id")
);

-- CreateTable
CREATE TABLE "webhook_deliveries" (
    "id" VARCHAR(32) NOT NULL,
    "rollout_id" VARCHAR(32) NOT NULL,
    "verdict" "HealthVerdict" NOT NULL,
    "payload" JSONB NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_status" INTEGER,
    "last_error" VARCHAR(2000),
    "next_attempt_at" TIMESTAMPTZ(3),
    "delivered_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "namespace_classes_name_key" ON "namespace_classes"("name");

-- CreateIndex
CREATE UNIQUE INDEX "rollout_transitions_rollout_id_seq_key" ON "rollout_transitions"("rollout_id", "seq");

-- CreateIndex
CREATE INDEX "rollout_transitions_at_idx" ON "rollout_transitions"("at");

-- CreateIndex
CREATE INDEX "webhook_deliveries_rollout_id_created_at_idx" ON "webhook_deliveries"("rollout_id", "created_at");

-- CreateIndex
CREATE INDEX "webhook_deliveries_next_attempt_at_idx" ON "webhook_deliveries"("next_attempt_at");

-- AddForeignKey
ALTER TABLE "rollout_transitions" ADD CONSTRAINT "rollout_transitions_rollout_id_fkey" FOREIGN KEY ("rollout_id") REFERENCES "rollouts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_rollout_id_fkey" FOREIGN KEY ("rollout_id") REFERENCES "rollouts"("id") ON DELETE CASCADE ON UPDATE CASCADE;
