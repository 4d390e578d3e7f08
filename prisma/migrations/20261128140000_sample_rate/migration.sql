-- Sampled sources (netobserv) scale their counts; the rate says the count is an estimate.
ALTER TABLE "drop_events" ADD COLUMN "sample_rate" INTEGER NOT NULL DEFAULT 1;
