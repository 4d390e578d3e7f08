-- Top policies at any path count (issue 12): a policy's drops are the drops of every path it denied,
-- and summing 100k paths' counts per read is what made the policies panel slow. The compactor now
-- credits each path's compacted counts to the path's policies, by minute, hour and day, as it does
-- per path. A path learns policies
-- after its first drops (Cilium names them only on PolicyVerdict events, which may come in a later
-- batch): `policies_credited` is what its counts are credited to
-- so far; the compactor credits a newly named policy with everything the path compacted before, and
-- readers add what is still pending or not yet credited (lib/queries/drops/getTopPolicies.ts).

-- CreateTable
CREATE TABLE "drop_policy_minute" (
    "bucket" TIMESTAMPTZ(0) NOT NULL,
    "cluster" VARCHAR(253) NOT NULL,
    "policy" VARCHAR(512) NOT NULL,
    "verdict" "Verdict" NOT NULL,
    "reason" VARCHAR(128) NOT NULL,
    "count" BIGINT NOT NULL,

    CONSTRAINT "drop_policy_minute_pkey" PRIMARY KEY ("bucket","cluster","policy","verdict","reason")
);

-- CreateTable
CREATE TABLE "drop_policy_hour" (
    "bucket" TIMESTAMPTZ(0) NOT NULL,
    "cluster" VARCHAR(253) NOT NULL,
    "policy" VARCHAR(512) NOT NULL,
    "verdict" "Verdict" NOT NULL,
    "reason" VARCHAR(128) NOT NULL,
    "count" BIGINT NOT NULL,

    CONSTRAINT "drop_policy_hour_pkey" PRIMARY KEY ("bucket","cluster","policy","verdict","reason")
);
-- CreateTable
CREATE TABLE "drop_policy_day" (
    "bucket" TIMESTAMPTZ(0) NOT NULL,
    "cluster" VARCHAR(253) NOT NULL,
    "policy" VARCHAR(512) NOT NULL,
    "verdict" "Verdict" NOT NULL,
    "reason" VARCHAR(128) NOT NULL,
    "count" BIGINT NOT NULL,

    CONSTRAINT "drop_policy_day_pkey" PRIMARY KEY ("bucket","cluster","policy","verdict","reason")
);

-- AlterTable
ALTER TABLE "drop_paths" ADD COLUMN "policies_credited" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN "policies_uncredited" BOOLEAN NOT NULL DEFAULT false;

-- What is compacted now, credited to the policies known now.
INSERT INTO drop_policy_minute
    SELECT r.bucket, r.cluster, policy, r.verdict, r.reason, sum(r.count)
    FROM drop_path_minute r JOIN drop_paths p ON p.cluster = r.cluster AND p.id = r.drop_path_id
    CROSS JOIN LATERAL unnest(p.policies) AS policy
    GROUP BY 1, 2, 3, 4, 5;
INSERT INTO drop_policy_hour
    SELECT r.bucket, r.cluster, policy, r.verdict, r.reason, sum(r.count)
    FROM drop_path_hour r JOIN drop_paths p ON p.cluster = r.cluster AND p.id = r.drop_path_id
    CROSS JOIN LATERAL unnest(p.policies) AS policy
    GROUP BY 1, 2, 3, 4, 5;
INSERT INTO drop_policy_day
    SELECT r.bucket, r.cluster, policy, r.verdict, r.reason, sum(r.count)
    FROM drop_path_day r JOIN drop_paths p ON p.cluster = r.cluster AND p.id = r.drop_path_id
    CROSS JOIN LATERAL unnest(p.policies) AS policy
    GROUP BY 1, 2, 3, 4, 5;
UPDATE "drop_paths" SET "policies_credited" = "policies" WHERE "policies" <> '{}';

-- CreateIndex: the paths whose newest policies are not credited yet (few: ingest flags a path that
-- names a new policy, the compactor clears it). A flag, not policies <> policies_credited: the
-- planner reads that as "almost every path" and scans them all. Partial, which schema.prisma
-- cannot say: it lists the columns only.
CREATE INDEX "drop_paths_uncredited_idx" ON "drop_paths"("cluster", "id") WHERE "policies_uncredited";
