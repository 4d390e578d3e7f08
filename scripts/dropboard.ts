// `npm run dropboard -- <command>`: token create|list|revoke, migrate.
import { parseArgs } from "node:util";
import { migrate } from "../lib/db/migrate";
import { closePool } from "../lib/db/pool";
import { listTokens } from "../lib/queries/tokens/listTokens";
import { createToken, revokeToken } from "../lib/tokens/manageTokens";
import { TOKEN_SCOPES } from "../lib/tokens/scopes";
import { connectDatabase } from "./lib/database";

const USAGE = `usage: npm run dropboard -- <command>

  token create --scope ingest|write|admin [--cluster NAME] [--name TEXT]
      prints the new token as the last line (it is shown once; only its hash is stored).
      An ingest token with --cluster may only write that cluster's drops.
  token list
  token revoke <id>
  migrate                apply pending database migrations`;

class UsageError extends Error {}

const info = (line: string) => console.error(`[dropboard] ${line}`);

async function tokenCommand(args: string[]): Promise<void> {
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
      console.log(`${t.id}\t${t.scope}\t${t.cluster ?? "*"}\t${state}\t${t.name}`);
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

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (!command || command === "help" || command === "--help") {
    console.log(USAGE);
    return;
  }
  if (command !== "token" && command !== "migrate") throw new UsageError(`unknown command "${command}"`);
  const database = await connectDatabase(info);
  process.env.DATABASE_URL = database.url;
  try {
    await migrate(database.url);
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
