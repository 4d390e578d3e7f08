// A throwaway embedded PostgreSQL the fault tests can do harm to: stop it (a fast shutdown, as an
// operator or a failover does), start it again on the same port with the same data, and freeze it
// (SIGSTOP to the postmaster and every backend: a hung host, a stalled disk) and thaw it.
import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { freePort, startEmbeddedPostgres, type EmbeddedDatabase } from "../../db/embedded";
import { migrate } from "../../db/migrate";

export interface FaultyPostgres {
  url: string;
  /** Fast shutdown (SIGINT to the postmaster): sessions are ended, the data stays. */
  stop(): Promise<void>;
  /** Started again on the same port, with the same data and password. */
  start(): Promise<void>;
  /** SIGSTOP to the postmaster and all its children; returns how many processes were frozen. */
  freeze(): number;
  thaw(): void;
  /** Stops it (thawing it first) and removes its files. */
  close(): Promise<void>;
}

/** The postmaster's children (backends, checkpointer, WAL writer, ...), from /proc. */
function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces, so read after the last ")".
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === pid) children.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return children;
}

const signal = (pid: number, name: NodeJS.Signals) => {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
};

export async function startFaultyPostgres(label: string): Promise<FaultyPostgres> {
  if (process.platform !== "linux") throw new Error("the fault tests freeze PostgreSQL through /proc: Linux only");
  const rootDir = await mkdtemp(path.join(os.tmpdir(), `dropboard-faults-${label}-`));
  const port = await freePort();
  const open = () => startEmbeddedPostgres({ rootDir, port, unsafeFast: true, database: "dropboard_faults", log: () => undefined });
  let database: EmbeddedDatabase | null = await open();
  await migrate(database.url);
  let frozen: number[] = [];
  const postmasterPid = () => Number(readFileSync(path.join(rootDir, "pg", "postmaster.pid"), "utf8").split("\n")[0]);

  const faulty: FaultyPostgres = {
    url: database.url,
    async stop() {
      const running = database;
      database = null;
      await running?.stop();
    },
    async start() {
      if (database) return;
      database = await open();
    },
    freeze() {
      const postmaster = postmasterPid();
      // The postmaster first, so it forks no new backend while the others stop.
      signal(postmaster, "SIGSTOP");
      frozen = [postmaster, ...childrenOf(postmaster)];
      for (const pid of frozen.slice(1)) signal(pid, "SIGSTOP");
      return frozen.length;
    },
    thaw() {
      for (const pid of [...frozen].reverse()) signal(pid, "SIGCONT");
      frozen = [];
    },
    async close() {
      faulty.thaw();
      await faulty.stop().catch(() => undefined);
      await rm(rootDir, { recursive: true, force: true });
    },
  };
  return faulty;
}
