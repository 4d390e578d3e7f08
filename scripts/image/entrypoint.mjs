// The container image's entrypoint (Dockerfile): `server` (default), `migrate`, `collect ...` and
// `token ...`. It runs as PID 1 and hands over to the command in this same process (no shell,
// no npm), so SIGTERM from Kubernetes reaches the server's or the collector's own handlers.
//   server   Next.js' standalone server on PORT (3000), HOST (0.0.0.0)
//   migrate  apply pending migrations to DATABASE_URL, then exit
//   collect  the agent: `collect --server URL --token TOKEN --hubble-relay ADDR ...` (README)
//   token    `token create|list|revoke` against DATABASE_URL
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.dirname(fileURLToPath(import.meta.url));
const [command = "server", ...args] = process.argv.slice(2);
const CLI_COMMANDS = new Set(["migrate", "collect", "token", "help", "--help"]);

process.chdir(root);
if (command === "server") {
  // Next's standalone server listens on HOSTNAME, which Kubernetes sets to the pod's name: use HOST.
  process.env.HOSTNAME = process.env.HOST || "0.0.0.0";
  process.env.NEXT_TELEMETRY_DISABLED ??= "1";
  if (!process.env.DATABASE_URL) {
    console.error("[dropboard] DATABASE_URL is not set: the image has no embedded PostgreSQL (postgresql://user:password@host:5432/dropboard)");
    process.exit(2);
  }
  await import(path.join(root, "server.js"));
} else if (CLI_COMMANDS.has(command)) {
  if ((command === "migrate" || command === "token") && !process.env.DATABASE_URL) {
    console.error(`[dropboard] ${command}: DATABASE_URL is not set: the image has no embedded PostgreSQL`);
    process.exit(2);
  }
  process.argv = [process.argv[0], path.join(root, "cli", "dropboard.mjs"), command, ...args];
  await import(path.join(root, "cli", "dropboard.mjs"));
} else {
  console.error(`usage: <image> [server | migrate | collect ... | token ... | help] (got "${command}")`);
  process.exit(2);
}
