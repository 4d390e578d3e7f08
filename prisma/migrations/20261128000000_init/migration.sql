-- CreateEnum
CREATE TYPE "Verdict" AS ENUM ('DROPPED', 'AUDIT');

-- CreateEnum
CREATE TYPE "TrafficDirection" AS ENUM ('INGRESS', 'EGRESS', 'UNKNOWN');

-- CreateEnum
CREATE TYPE "DropSource" AS ENUM ('hubble', 'calico', 'antrea', 'netobserv', 'native');

-- CreateEnum
CREATE TYPE "TokenScope" AS ENUM ('ingest', 'write', 'admin');

-- CreateTable
CREATE TABLE "api_tokens" (
    "id" VARCHAR(32) NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "token_hash" CHAR(64) NOT NULL,
    "scope" "TokenScope" NOT NULL,
    "cluster" VARCHAR(253),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateTable: partitioned by day on "time" (Prisma cannot say this). Partitions are created
-- ahead of each write by dropboard_ensure_day_partitions(); retention drops whole partitions.
CREATE TABLE "drop_events" (
    "time" TIMESTAMPTZ(6) NOT NULL,
    "cluster" VARCHAR(253) NOT NULL,
    "key" VARCHAR(128) NOT NULL,
    "node" VARCHAR(253),
    "verdict" "Verdict" NOT NULL,
    "direction" "TrafficDirection" NOT NULL,
    "namespace" VARCHAR(253) NOT NULL,
    "src_namespace" VARCHAR(253),
    "src_pod" VARCHAR(253),
    "src_workload" VARCHAR(320),
    "src_ip" VARCHAR(45),
    "src_port" INTEGER,
    "src_identity" BIGINT,
    "src_labels" TEXT[],
    "dst_namespace" VARCHAR(253),
    "dst_pod" VARCHAR(253),
    "dst_workload" VARCHAR(320),
    "dst_ip" VARCHAR(45),
    "dst_port" INTEGER,
    "dst_identity" BIGINT,
    "dst_labels" TEXT[],
    "protocol" VARCHAR(16) NOT NULL,
    "icmp_type" INTEGER,
    "reason" VARCHAR(128) NOT NULL,
    "policies" TEXT[],
    "count" INTEGER NOT NULL,
    "source" "DropSource" NOT NULL,
    "drop_path_id" BIGINT NOT NULL,
    "ingested_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "drop_events_pkey" PRIMARY KEY ("time","cluster","key")
) PARTITION BY RANGE ("time");

-- CreateTable
CREATE TABLE "drop_counts_pending" (
    "id" BIGSERIAL NOT NULL,
    "bucket" TIMESTAMPTZ(0) NOT NULL,
    "cluster" VARCHAR(253) NOT NULL,
    "namespace" VARCHAR(253) NOT NULL,
    "direction" "TrafficDirection" NOT NULL,
    "verdict" "Verdict" NOT NULL,
    "reason" VARCHAR(128) NOT NULL,
    "drop_path_id" BIGINT NOT NULL,
    "count" BIGINT NOT NULL,

    CONSTRAINT "drop_counts_pending_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "drop_rollup_minute" (
    "bucket" TIMESTAMPTZ(0) NOT NULL,
    "cluster" VARCHAR(253) NOT NULL,
    "namespace" VARCHAR(253) NOT NULL,
    "direction" "TrafficDirection" NOT NULL,
    "verdict" "Verdict" NOT NULL,
    "reason" VARCHAR(128) NOT NULL,
    "count" BIGINT NOT NULL,

    CONSTRAINT "drop_rollup_minute_pkey" PRIMARY KEY ("bucket","cluster","namespace","direction","verdict","reason")
);

-- CreateTable
CREATE TABLE "drop_rollup_hour" (
    "bucket" TIMESTAMPTZ(0) NOT NULL,
    "cluster" VARCHAR(253) NOT NULL,
    "namespace" VARCHAR(253) NOT NULL,
    "direction" "TrafficDirection" NOT NULL,
    "verdict" "Verdict" NOT NULL,
    "reason" VARCHAR(128) NOT NULL,
    "count" BIGINT NOT NULL,

    CONSTRAINT "drop_rollup_hour_pkey" PRIMARY KEY ("bucket","cluster","namespace","direction","verdict","reason")
);

-- CreateTable
CREATE TABLE "drop_paths" (
    "cluster" VARCHAR(253) NOT NULL,
    "id" BIGINT NOT NULL,
    "namespace" VARCHAR(253) NOT NULL,
    "direction" "TrafficDirection" NOT NULL,
    "src_namespace" VARCHAR(253),
    "src_workload" VARCHAR(320),
    "dst_namespace" VARCHAR(253),
    "dst_workload" VARCHAR(320),
    "dst_port" INTEGER,
    "protocol" VARCHAR(16) NOT NULL,
    "first_seen" TIMESTAMPTZ(6) NOT NULL,
    "last_seen" TIMESTAMPTZ(6) NOT NULL,
    "policies" TEXT[],
    "reasons" TEXT[],

    CONSTRAINT "drop_paths_pkey" PRIMARY KEY ("cluster","id")
);

-- CreateTable
CREATE TABLE "drop_path_minute" (
    "bucket" TIMESTAMPTZ(0) NOT NULL,
    "cluster" VARCHAR(253) NOT NULL,
    "drop_path_id" BIGINT NOT NULL,
    "verdict" "Verdict" NOT NULL,
    "reason" VARCHAR(128) NOT NULL,
    "count" BIGINT NOT NULL,

    CONSTRAINT "drop_path_minute_pkey" PRIMARY KEY ("bucket","cluster","drop_path_id","verdict","reason")
);

-- CreateTable
CREATE TABLE "drop_path_hour" (
    "bucket" TIMESTAMPTZ(0) NOT NULL,
    "cluster" VARCHAR(253) NOT NULL,
    "drop_path_id" BIGINT NOT NULL,
    "verdict" "Verdict" NOT NULL,
    "reason" VARCHAR(128) NOT NULL,
    "count" BIGINT NOT NULL,

    CONSTRAINT "drop_path_hour_pkey" PRIMARY KEY ("bucket","cluster","drop_path_id","verdict","reason")
);

-- CreateIndex
CREATE UNIQUE INDEX "api_tokens_token_hash_key" ON "api_tokens"("token_hash");

-- CreateIndex
CREATE INDEX "drop_events_cluster_namespace_time_idx" ON "drop_events"("cluster", "namespace", "time");

-- CreateIndex
CREATE INDEX "drop_events_cluster_drop_path_id_time_idx" ON "drop_events"("cluster", "drop_path_id", "time");

-- CreateIndex
CREATE INDEX "drop_paths_cluster_namespace_last_seen_idx" ON "drop_paths"("cluster", "namespace", "last_seen");

-- CreateIndex
CREATE INDEX "drop_paths_first_seen_idx" ON "drop_paths"("first_seen");

-- CreateIndex
CREATE INDEX "drop_path_hour_cluster_drop_path_id_bucket_idx" ON "drop_path_hour"("cluster", "drop_path_id", "bucket");

-- Day partitions of drop_events, created on demand. Idempotent and safe under concurrency:
-- the function holds an advisory lock, and IF NOT EXISTS covers a partition made by an earlier call.
CREATE FUNCTION dropboard_ensure_day_partitions(days date[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    d date;
BEGIN
    -- Serialise creators: two writers making the same partition would otherwise race.
    PERFORM pg_advisory_xact_lock(hashtext('dropboard_ensure_day_partitions'));
    FOREACH d IN ARRAY days LOOP
        EXECUTE format(
            'CREATE TABLE IF NOT EXISTS %I PARTITION OF drop_events FOR VALUES FROM (%L) TO (%L)',
            'drop_events_p' || to_char(d, 'YYYYMMDD'),
            d::timestamp AT TIME ZONE 'UTC',
            (d + 1)::timestamp AT TIME ZONE 'UTC'
        );
    END LOOP;
END;
$$;

-- What every read of counts uses: compacted rollups plus the counts still pending. Each view is
-- one snapshot, so a compaction running meanwhile never shows a count twice or not at all.
CREATE VIEW live_drop_rollup_minute AS
    SELECT bucket, cluster, namespace, direction, verdict, reason, count FROM drop_rollup_minute
    UNION ALL
    SELECT bucket, cluster, namespace, direction, verdict, reason, count FROM drop_counts_pending;

CREATE VIEW live_drop_rollup_hour AS
    SELECT bucket, cluster, namespace, direction, verdict, reason, count FROM drop_rollup_hour
    UNION ALL
    SELECT date_trunc('hour', bucket, 'UTC'), cluster, namespace, direction, verdict, reason, count FROM drop_counts_pending;

CREATE VIEW live_drop_path_minute AS
    SELECT bucket, cluster, drop_path_id, verdict, reason, count FROM drop_path_minute
    UNION ALL
    SELECT bucket, cluster, drop_path_id, verdict, reason, count FROM drop_counts_pending;

CREATE VIEW live_drop_path_hour AS
    SELECT bucket, cluster, drop_path_id, verdict, reason, count FROM drop_path_hour
    UNION ALL
    SELECT date_trunc('hour', bucket, 'UTC'), cluster, drop_path_id, verdict, reason, count FROM drop_counts_pending;
