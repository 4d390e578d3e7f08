-- Coarser rollups, so day- and month-long reads stay cheap at tens of millions of drops:
-- 5-minute and day counts per namespace, day counts per drop path.

-- CreateTable
CREATE TABLE "drop_rollup_5m" (
    "bucket" TIMESTAMPTZ(0) NOT NULL,
    "cluster" VARCHAR(253) NOT NULL,
    "namespace" VARCHAR(253) NOT NULL,
    "direction" "TrafficDirection" NOT NULL,
    "verdict" "Verdict" NOT NULL,
    "reason" VARCHAR(128) NOT NULL,
    "count" BIGINT NOT NULL,

    CONSTRAINT "drop_rollup_5m_pkey" PRIMARY KEY ("bucket","cluster","namespace","direction","verdict","reason")
);

-- CreateTable
CREATE TABLE "drop_rollup_day" (
    "bucket" TIMESTAMPTZ(0) NOT NULL,
    "cluster" VARCHAR(253) NOT NULL,
    "namespace" VARCHAR(253) NOT NULL,
    "direction" "TrafficDirection" NOT NULL,
    "verdict" "Verdict" NOT NULL,
    "reason" VARCHAR(128) NOT NULL,
    "count" BIGINT NOT NULL,

    CONSTRAINT "drop_rollup_day_pkey" PRIMARY KEY ("bucket","cluster","namespace","direction","verdict","reason")
);

-- CreateTable
CREATE TABLE "drop_path_day" (
    "bucket" TIMESTAMPTZ(0) NOT NULL,
    "cluster" VARCHAR(253) NOT NULL,
    "drop_path_id" BIGINT NOT NULL,
    "verdict" "Verdict" NOT NULL,
    "reason" VARCHAR(128) NOT NULL,
    "count" BIGINT NOT NULL,

    CONSTRAINT "drop_path_day_pkey" PRIMARY KEY ("bucket","cluster","drop_path_id","verdict","reason")
);

-- CreateIndex
CREATE INDEX "drop_path_day_cluster_drop_path_id_bucket_idx" ON "drop_path_day"("cluster", "drop_path_id", "bucket");

-- Backfill from the finer rollups (compacted counts; pending ones are folded in by the compactor).
INSERT INTO drop_rollup_5m
    SELECT date_bin('5 minutes', bucket, TIMESTAMPTZ 'epoch'), cluster, namespace, direction, verdict, reason, sum(count)
    FROM drop_rollup_minute GROUP BY 1, 2, 3, 4, 5, 6;
INSERT INTO drop_rollup_day
    SELECT date_trunc('day', bucket, 'UTC'), cluster, namespace, direction, verdict, reason, sum(count)
    FROM drop_rollup_hour GROUP BY 1, 2, 3, 4, 5, 6;
INSERT INTO drop_path_day
    SELECT date_trunc('day', bucket, 'UTC'), cluster, drop_path_id, verdict, reason, sum(count)
    FROM drop_path_hour GROUP BY 1, 2, 3, 4, 5;

-- Rollups plus what is still pending, as for the finer ones.
CREATE VIEW live_drop_rollup_5m AS
    SELECT bucket, cluster, namespace, direction, verdict, reason, count FROM drop_rollup_5m
    UNION ALL
    SELECT date_bin('5 minutes', bucket, TIMESTAMPTZ 'epoch'), cluster, namespace, direction, verdict, reason, count FROM drop_counts_pending;

CREATE VIEW live_drop_rollup_day AS
    SELECT bucket, cluster, namespace, direction, verdict, reason, count FROM drop_rollup_day
    UNION ALL
    SELECT date_trunc('day', bucket, 'UTC'), cluster, namespace, direction, verdict, reason, count FROM drop_counts_pending;

CREATE VIEW live_drop_path_day AS
    SELECT bucket, cluster, drop_path_id, verdict, reason, count FROM drop_path_day
    UNION ALL
    SELECT date_trunc('day', bucket, 'UTC'), cluster, drop_path_id, verdict, reason, count FROM drop_counts_pending;
