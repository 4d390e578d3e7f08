-- Top drop paths at any path count (issue 12): each path's total, the counts compaction has folded
-- into its rollups, so far. It bounds the path's count in any range from above, so the top paths of
-- a range are found by reading paths in order of (total, last seen) and counting only those that
-- could still make the list (lib/queries/drops/getTopDropPaths.ts), not every path of the range.
-- Written by the compactor only (lib/ingest/compact.ts), after the pending counts it moved.

-- AlterTable
ALTER TABLE "drop_paths" ADD COLUMN "total" BIGINT NOT NULL DEFAULT 0;

-- What is already compacted: every count reaches the day rollup, which is kept longest.
UPDATE "drop_paths" p SET "total" = s.total
FROM (SELECT cluster, drop_path_id, sum(count) AS total FROM drop_path_day GROUP BY 1, 2) s
WHERE p.cluster = s.cluster AND p.id = s.drop_path_id;

-- CreateIndex
CREATE INDEX "drop_paths_total_last_seen_id_cluster_idx" ON "drop_paths"("total" DESC, "last_seen" DESC, "id", "cluster");

-- Each path's drops per hour and per UTC day, in one row with its namespace (drop_path_hour/day split them by verdict
-- and reason), read in order of count within an hour or day: a path not among its first K has at
-- most the Kth's count then, which bounds short ranges far tighter than the all-time total does.
-- CreateTable
CREATE TABLE "drop_path_hour_total" (
    "bucket" TIMESTAMPTZ(0) NOT NULL,
    "cluster" VARCHAR(253) NOT NULL,
    "drop_path_id" BIGINT NOT NULL,
    "namespace" VARCHAR(253) NOT NULL,
    "count" BIGINT NOT NULL,

    CONSTRAINT "drop_path_hour_total_pkey" PRIMARY KEY ("bucket","cluster","drop_path_id")
);

INSERT INTO "drop_path_hour_total"
    SELECT r.bucket, r.cluster, r.drop_path_id, p.namespace, sum(r.count)
    FROM drop_path_hour r JOIN drop_paths p ON p.cluster = r.cluster AND p.id = r.drop_path_id GROUP BY 1, 2, 3, 4;

-- CreateIndex
CREATE INDEX "drop_path_hour_total_bucket_count_idx" ON "drop_path_hour_total"("bucket", "count" DESC);

-- CreateIndex: a namespace page's list.
CREATE INDEX "drop_path_hour_total_bucket_namespace_count_idx" ON "drop_path_hour_total"("bucket", "namespace", "count" DESC);

-- CreateTable
CREATE TABLE "drop_path_day_total" (
    "bucket" TIMESTAMPTZ(0) NOT NULL,
    "cluster" VARCHAR(253) NOT NULL,
    "drop_path_id" BIGINT NOT NULL,
    "namespace" VARCHAR(253) NOT NULL,
    "count" BIGINT NOT NULL,

    CONSTRAINT "drop_path_day_total_pkey" PRIMARY KEY ("bucket","cluster","drop_path_id")
);

INSERT INTO "drop_path_day_total"
    SELECT r.bucket, r.cluster, r.drop_path_id, p.namespace, sum(r.count)
    FROM drop_path_day r JOIN drop_paths p ON p.cluster = r.cluster AND p.id = r.drop_path_id GROUP BY 1, 2, 3, 4;

-- CreateIndex
CREATE INDEX "drop_path_day_total_bucket_count_idx" ON "drop_path_day_total"("bucket", "count" DESC);

-- CreateIndex: a namespace page's list.
CREATE INDEX "drop_path_day_total_bucket_namespace_count_idx" ON "drop_path_day_total"("bucket", "namespace", "count" DESC);
