// A real nginx running the README's configuration block, as written there, for the hosting
// tests: the block's `listen 80;` becomes a free loopback port and its
// `/srv/guidebook/public/` the folder under test. nginx runs in the foreground as one process
// (no master, so no switch to another user), with its logs and temporary files in a folder
// of its own. `bash tests/run` installs it from Debian.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const repo = resolve(import.meta.dirname, "..", "..");

/** The README's nginx block: the text of the first ```nginx fence of its Hosting section. */
export function readmeNginxBlock() {
  const readme = readFileSync(join(repo, "README.md"), "utf8");
  const hosting = readme.slice(readme.indexOf("\n## Hosting"));
  const found = hosting.match(/```nginx\n([\s\S]*?)```/);
  if (!found) throw new Error("README.md: no ```nginx block in its Hosting section");
  return found[1];
}

/** The nginx program: on PATH, or where Debian puts it (/usr/sbin is not on every PATH). */
function nginxProgram() {
  for (const dir of (process.env.PATH ?? "").split(":").concat(["/usr/sbin", "/usr/local/sbin"])) {
    if (dir && existsSync(join(dir, "nginx"))) return join(dir, "nginx");
  }
  throw new Error("nginx is not installed: `bash tests/run` installs it (Debian package nginx)");
}

/** A TCP port free on 127.0.0.1 at the time of asking. */
function freePort() {
  return new Promise((ok, fail) => {
    const probe = createServer();
    probe.on("error", fail);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => ok(port));
    });
  });
}

/** Resolves once `origin` answers any HTTP request, or rejects after `ms` milliseconds. */
async function answering(origin, ms, log) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      await fetch(origin, { redirect: "manual" });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  const errors = existsSync(log) ? readFileSync(log, "utf8") : "";
  throw new Error(`nginx did not answer at ${origin} within ${ms} ms\n${errors}`);
}

/**
 * Starts nginx with the README's block serving `folder` (the output of a build, an absolute
 * path); returns `{ origin, close }`, where `origin` is `http://127.0.0.1:<port>` and `close()`
 * stops nginx and removes its folder.
 */
export async function startNginx(folder) {
  const port = await freePort();
  const work = mkdtempSync(join(tmpdir(), "guidebook-nginx-"));
  const block = readmeNginxBlock();
  if (!block.includes("listen 80;") || !block.includes("/srv/guidebook/public/")) {
    throw new Error("README.md's nginx block no longer has `listen 80;` and `/srv/guidebook/public/`");
  }
  const site = block
    .replace("listen 80;", `listen 127.0.0.1:${port};`)
    .replaceAll("/srv/guidebook/public/", `${folder.replace(/\/$/, "")}/`);
  const temp = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"]
    .map((t) => `    ${t}_temp_path ${join(work, t)};`)
    .join("\n");
  const log = join(work, "error.log");
  const conf = `daemon off;
master_process off;
pid ${join(work, "nginx.pid")};
error_log ${log} warn;
events { worker_connections 256; }
http {
    access_log off;
    default_type application/octet-stream;
${temp}
${site}
}
`;
  writeFileSync(join(work, "nginx.conf"), conf);
  const child = spawn(nginxProgram(), ["-p", work, "-e", log, "-c", join(work, "nginx.conf")], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const exited = new Promise((ok) => child.on("exit", ok));
  const origin = `http://127.0.0.1:${port}`;
  let started = false;
  const failed = exited.then((code) => {
    if (!started) throw new Error(`nginx exited with ${code}: ${stderr}`);
  });
  failed.catch(() => {});
  try {
    await Promise.race([answering(origin, 10_000, log).then(() => (started = true)), failed]);
  } catch (e) {
    child.kill("SIGKILL");
    rmSync(work, { recursive: true, force: true });
    throw e;
  }
  return {
    origin,
    close: async () => {
      child.kill("SIGQUIT");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
      child.kill("SIGKILL");
      rmSync(work, { recursive: true, force: true });
    },
  };
}
