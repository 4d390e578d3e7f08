-- The measurement loop (issue 16): application error budgets read from Prometheus, proof that an
-- enforcing stage really enforces (NOT_ENFORCED), and acknowledgements as exceptions with an owner,
-- an optional expiry and a scope (one rollout, or every rollout).

-- AlterEnum: an enforcing stage whose predicted paths still arrive only as AUDIT.
ALTER TYPE "HealthVerdict" ADD VALUE 'NOT_ENFORCED';

-- AlterTable: the error budget and the enforcement grace period.
ALTER TABLE "rollouts" ADD COLUMN "error_query" VARCHAR(4000);
ALTER TABLE "rollouts" ADD COLUMN "max_error_ratio" DOUBLE PRECISION;
ALTER TABLE "rollouts" ADD COLUMN "max_error_increase_pct" DOUBLE PRECISION;
ALTER TABLE "rollouts" ADD COLUMN "prometheus_url" VARCHAR(2000);
ALTER TABLE "rollouts" ADD COLUMN "enforcement_grace_minutes" INTEGER;

-- AlterTable: exceptions. An id of their own (one path may have a global exception and one per
-- rollout), an owner, an expiry, and the rollout they are scoped to (null: every rollout).
ALTER TABLE "path_acknowledgements" ADD COLUMN "id" VARCHAR(32);
UPDATE "path_acknowledgements" SET "id" = substr(md5("cluster" || '/' || "drop_path_id"::text), 1, 24);
ALTER TABLE "path_acknowledgements" ALTER COLUMN "id" SET NOT NULL;
ALTER TABLE "path_acknowledgements" DROP CONSTRAINT "path_acknowledgements_pkey";
ALTER TABLE "path_acknowledgements" ADD CONSTRAINT "path_acknowledgements_pkey" PRIMARY KEY ("id");
ALTER TABLE "path_acknowledgements" ADD COLUMN "owner" VARCHAR(200);
ALTER TABLE "path_acknowledgements" ADD COLUMN "expires_at" TIMESTAMPTZ(3);
ALTER TABLE "path_acknowledgements" ADD COLUMN "rollout_id" VARCHAR(32);
ALTER TABLE "path_acknowledgements" ADD CONSTRAINT "path_acknowledgements_rollout_id_fkey"
  FOREIGN KEY ("rollout_id") REFERENCES "rollouts"("id") ON DELETE CASCADE ON UPDATE CASCADE;
CREATE INDEX "path_acknowledgements_cluster_drop_path_id_idx" ON "path_acknowledgements"("cluster", "drop_path_id");
