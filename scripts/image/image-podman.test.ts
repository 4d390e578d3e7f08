// The Dockerfile itself, built and run by podman, where this machine can: no container registry is
// reachable here, so the base is made of Debian's packages (scripts/image/debian-base.sh, tagged
// localhost/dropboard-node-base:20). Skipped, with the reason, when podman is not installed, the base
// has not been made, or the machine's OCI runtime cannot start a container (seen on our build
// machines: "setrlimit RLIMIT_NOFILE: Operation not permitted" from crun and runc alike).
// image.test.ts runs the image's /app as its entrypoint does, with no container engine, every time.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { freePort } from "@/lib/db/embedded";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const BASE = process.env.DROPBOARD_IMAGE_BASE ?? "localhost/dropboard-node-base:20";
const PODMAN = ["--storage-driver", process.env.DROPBOARD_PODMAN_STORAGE ?? "vfs"];

function podman(args: string[], timeoutMs = 60_000) {
  return spawnSync("podman", [...PODMAN, ...args], { cwd: ROOT, encoding: "utf8", timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
}

/** Why podman cannot build and run the image here, or null when it can. */
function cannot(): string | null {
  if (spawnSync("podman", ["--version"]).status !== 0) return "podman is not installed (apt-get install podman debootstrap)";
  if (podman(["image", "exists", BASE]).status !== 0) return `no base image ${BASE}: make one from Debian's packages with scripts/image/debian-base.sh`;
  const probe = podman(["run", "--rm", "--network", "host", BASE, "node", "--version"]);
  if (probe.status !== 0) return `this machine's OCI runtime cannot start a container: ${(probe.stderr || probe.stdout).trim().split("\n").at(-1)}`;
  return null;
}

describe("the Dockerfile, with podman", () => {
  it("builds the image from a Debian-made base and serves the probes from it, read-only, as uid 10001", async (context) => {
    const reason = cannot();
    if (reason) {
      console.warn(`[image-podman] skipped: ${reason}`);
      context.skip(reason);
      return;
    }
    const tag = "localhost/dropboard:test";
    const build = podman(["build", "--network", "host", "--build-arg", `NODE_IMAGE=${BASE}`, "-t", tag, "."], 1_500_000);
    // A RUN step needs the runtime too: when that is what failed, it is this machine, not the image.
    const runtimeFault = /OCI (permission denied|runtime error)|cgroups? in hybrid mode|setrlimit|error setting rlimit/.exec(build.stderr);
    if (build.status !== 0 && runtimeFault) {
      const why = `podman could not run the Dockerfile's RUN steps here (${runtimeFault[0]})`;
      console.warn(`[image-podman] skipped: ${why}`);
      context.skip(why);
      return;
    }
    expect(build.status, build.stderr.slice(-3000)).toBe(0);
    const url = new URL(process.env.DATABASE_URL as string);
    const migrate = podman(["run", "--rm", "--network", "host", "--read-only", "-e", `DATABASE_URL=${url}`, tag, "migrate"]);
    expect(migrate.status, migrate.stderr).toBe(0);
    const port = await freePort();
    const started = podman(["run", "-d", "--rm", "--network", "host", "--read-only", "--tmpfs", "/tmp", "--tmpfs", "/app/.next-image/cache:uid=10001", "-e", `DATABASE_URL=${url}`, "-e", `PORT=${port}`, tag]);
    expect(started.status, started.stderr).toBe(0);
    const id = started.stdout.trim();
    try {
      const deadline = Date.now() + 60_000;
      let ready: Response | null = null;
      while (Date.now() < deadline && ready?.status !== 200) {
        ready = await fetch(`http://127.0.0.1:${port}/api/v1/health/ready`).catch(() => null);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      expect(ready?.status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${port}/api/v1/health`)).status).toBe(200);
      expect(podman(["exec", id, "id", "-u"]).stdout.trim()).toBe("10001");
    } finally {
      podman(["stop", "-t", "10", id]);
    }
  }, 1_800_000);
});
