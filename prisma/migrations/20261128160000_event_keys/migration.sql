-- Dedupe moves to a narrow table of event identities, so drop_events can keep only exemplars
-- (a bounded number per drop path per minute) while every event is still counted exactly once.
-- identity = md5(epoch milliseconds || U+001F || cluster || U+001F || key), as lib/ingest/keys.ts
-- eventIdentity() computes it; the old primary key (time, cluster, key) is the same identity.

-- CreateTable: partitioned by day on "time", like drop_events; the same function makes both.
-- "cluster" is in the key, as in every table that grows with traffic (DESIGN.md: shardable by cluster).
CREATE TABLE "drop_event_keys" (
    "time" TIMESTAMPTZ(6) NOT NULL,
    "cluster" VARCHAR(253) NOT NULL,
    "identity" UUID NOT NULL,

    CONSTRAINT "drop_event_keys_pkey" PRIMARY KEY ("time","cluster","identity")
) PARTITION BY RANGE ("time");

CREATE OR REPLACE FUNCTION dropboard_ensure_day_partitions(days date[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    d date;
    parent text;
BEGIN
    -- Serialise creators: two writers making the same partition would otherwise race.
    PERFORM pg_advisory_xact_lock(hashtext('dropboard_ensure_day_partitions'));
    FOREACH d IN ARRAY days LOOP
        FOREACH parent IN ARRAY ARRAY['drop_events', 'drop_event_keys'] LOOP
            EXECUTE format(
                'CREATE TABLE IF NOT EXISTS %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
                parent || '_p' || to_char(d, 'YYYYMMDD'),
                parent,
                d::timestamp AT TIME ZONE 'UTC',
                (d + 1)::timestamp AT TIME ZONE 'UTC'
            );
        END LOOP;
    END LOOP;
END;
$$;

-- Every event stored so far is already counted: record its identity.
SELECT dropboard_ensure_day_partitions(coalesce(array_agg(DISTINCT (time AT TIME ZONE 'UTC')::date), '{}'))
FROM drop_events;

INSERT INTO drop_event_keys (time, cluster, identity)
SELECT time, cluster, md5(floor(extract(epoch FROM time) * 1000)::bigint::text || chr(31) || cluster || chr(31) || key)::uuid
FROM drop_events
ON CONFLICT DO NOTHING;
