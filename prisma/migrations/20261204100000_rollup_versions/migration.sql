-- What changed in the compacted path rollups, so rollout health can keep what did not
-- (lib/queries/rollouts/sealedPathCounts.ts): a stage's finished hours are read once and reused
-- while their versions hold, instead of grouping every path of the stage on each poll (issue 12).
--
-- rollup_hour_versions: the compactor bumps an hour's version in the transaction that moves counts
-- of that hour (lib/ingest/compact.ts); the row at '-infinity' is retention's generation, bumped
-- whenever it deletes rollup rows (lib/ingest/retention.ts).

-- CreateTable
CREATE TABLE "rollup_hour_versions" (
    "hour" TIMESTAMPTZ(0) NOT NULL,
    "version" BIGINT NOT NULL,

    CONSTRAINT "rollup_hour_versions_pkey" PRIMARY KEY ("hour")
);

-- path_policy_credits: the paths whose policies the compactor credited, in credit order (one
-- compactor at a time, so seq follows commit order); kept two hours. A path's policies change only
-- by ingest marking it uncredited, then by this credit.

-- CreateTable
CREATE TABLE "path_policy_credits" (
    "seq" BIGSERIAL NOT NULL,
    "cluster" VARCHAR(253) NOT NULL,
    "drop_path_id" BIGINT NOT NULL,
    "credited_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "path_policy_credits_pkey" PRIMARY KEY ("seq")
);
