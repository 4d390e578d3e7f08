-- Aggregation at the edge (issue 13): a collector that counts at the edge sends counts per drop path
-- and minute, not events, so there are no event identities to recognise a re-sent batch by. Its
-- batch key (collector id + sequence) is recorded here, one row per cluster the batch holds, in the
-- same transaction as its counts: a re-sent batch counts once. Kept while a re-send could still be
-- accepted: until the batch's newest record falls out of the raw retention (retention.ts).
-- "cluster" leads the key, as in every table that grows with traffic (DESIGN.md: shardable by cluster).

-- CreateTable
CREATE TABLE "ingest_batches" (
    "cluster" VARCHAR(253) NOT NULL,
    "collector" VARCHAR(200) NOT NULL,
    "batch" VARCHAR(64) NOT NULL,
    "newest" TIMESTAMPTZ(3) NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ingest_batches_pkey" PRIMARY KEY ("cluster","collector","batch")
);

-- CreateIndex
CREATE INDEX "ingest_batches_newest_idx" ON "ingest_batches"("newest");
