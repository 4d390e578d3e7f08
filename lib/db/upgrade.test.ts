// Integration: upgrading a database that already holds drop events. The migration that moved
// dedupe into drop_event_keys must record every stored event's identity exactly as ingest
// computes it, or a re-send of an old record would be counted twice.
import { cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { databaseUrl } from "../config";
import { eventIdentity } from "../ingest/keys";
import { migrate, MIGRATIONS_DIR } from "./migrate";

const EVENT_KEYS_MIGRATION = "20261128160000_event_keys";
const name = `dropboard_upgrade_${Date.now().toString(36)}_${process.pid}`;
const serverUrl = databaseUrl();
const url = new URL(serverUrl);
url.pathname = `/${name}`;

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

afterAll(async () => {
  await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
});

describe("upgrading to drop_event_keys", () => {
  it("backfills the identity of every stored event, as ingest computes it", async () => {
    await admin(`CREATE DATABASE ${name}`);
    const before = mkdtempSync(path.join(os.tmpdir(), "dropboard-migrations-"));
    try {
      for (const entry of readdirSync(MIGRATIONS_DIR)) {
        if (entry < EVENT_KEYS_MIGRATION) cpSync(path.join(MIGRATIONS_DIR, entry), path.join(before, entry), { recursive: true });
      }
      await migrate(url.toString(), before);
    } finally {
      rmSync(before, { recursive: true, force: true });
    }

    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    try {
      const time = new Date("2026-11-20T10:11:12.345Z");
      const stored = [
        { cluster: "prod-eu", key: "hubble:6f1c6b1e-0000-4000-8000-000000000001" },
        { cluster: "prod-é", key: 'native:with "quotes" and \\ backslash' },
      ];
      await client.query("SELECT dropboard_ensure_day_partitions(ARRAY['2026-11-20']::date[])");
      for (const event of stored) {
        await client.query(
          `INSERT INTO drop_events (time, cluster, key, verdict, direction, namespace, protocol, reason, count, source, drop_path_id)
           VALUES ($1, $2, $3, 'DROPPED', 'INGRESS', 'payments', 'TCP', 'POLICY_DENIED', 1, 'hubble', 1)`,
          [time, event.cluster, event.key],
        );
      }

      await migrate(url.toString());
      const { rows } = await client.query<{ cluster: string; identity: string }>("SELECT cluster, identity::text AS identity FROM drop_event_keys");
      const byCluster = (a: { cluster: string }, b: { cluster: string }) => (a.cluster < b.cluster ? -1 : 1);
      expect(rows.sort(byCluster)).toEqual(
        stored.map((event) => ({ cluster: event.cluster, identity: eventIdentity(time.getTime(), event.cluster, event.key) })).sort(byCluster),
      );
    } finally {
      await client.end();
    }
  });
});
