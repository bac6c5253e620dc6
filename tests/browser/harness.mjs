// Shared by the browser tests: build a fixture site with the real binary, serve the
// output on the loopback interface, and drive Debian's Chromium with playwright-core.
import { execFileSync, spawn } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { extname, join, normalize, resolve } from "node:path";
import { after, before } from "node:test";
import { chromium } from "playwright-core";

const repo = resolve(import.meta.dirname, "..", "..");
const binary = process.env.GUIDEBOOK_BIN ?? join(repo, "target", "debug", "guidebook");

/**
 * Starts `guidebook serve` with `args` (in `cwd`), listening where `args`' `--bind` says;
 * returns the process, and a promise of its address (`http://127.0.0.1:<port>/`).
 */
export function startServe(args, cwd = undefined) {
  const server = spawn(binary, ["serve", ...args], { cwd, stdio: ["ignore", "ignore", "pipe"] });
  const url = new Promise((ok, fail) => {
    let seen = "";
    server.stderr.on("data", (chunk) => {
      seen += chunk;
      const m = seen.match(/http:\/\/127\.0\.0\.1:(\d+)\//);
      if (m) ok(m[0]);
    });
    server.on("exit", () => fail(new Error(seen)));
  });
  return { server, url };
}

/**
 * Runs the guidebook binary in `cwd`; returns its standard output. Its warnings go to the
 * test's standard error, unless `quiet` (for a site changed on purpose, such as an English
 * page edited without its translations).
 */
export function guidebook(cwd, args, { quiet = false } = {}) {
  return execFileSync(binary, args, { cwd, encoding: "utf8", stdio: quiet ? "pipe" : undefined });
}

/**
 * Copies tests/fixtures/<name> to a temporary folder and builds it; returns the output folder.
 * `prepare(dir)`, if given, changes the copy before the build (files git cannot hold, settings).
 */
export function buildFixture(name, args = [], prepare = undefined) {
  const dir = mkdtempSync(join(tmpdir(), `guidebook-${name}-`));
  cpSync(join(repo, "tests", "fixtures", name), dir, { recursive: true });
  prepare?.(dir);
  execFileSync(binary, ["build", ...args], { cwd: dir, stdio: "pipe" });
  return { root: dir, out: join(dir, "public"), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

const types = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript", ".xml": "application/xml", ".json": "application/json", ".svg": "image/svg+xml" };

/** Serves `folder` on 127.0.0.1 at a free port; resolves to { url, close }. */
export function serve(folder) {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname));
    let file = join(folder, path);
    if (!file.startsWith(folder)) {
      res.writeHead(400).end();
      return;
    }
    try {
      if (statSync(file).isDirectory()) file = join(file, "index.html");
      const body = readFileSync(file);
      res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" }).end(body);
    } catch {
      res.writeHead(404).end("not found");
    }
  });
  return new Promise((ok) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      ok({ url: `http://127.0.0.1:${port}/`, close: () => new Promise((done) => server.close(done)) });
    });
  });
}

/** Launches headless Chromium from Debian's package, with no network chatter. */
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/**
 * Registers the hooks of a suite that reads a built fixture in Chromium: before it, the
 * fixture is built, served and a browser launched; after it, all three are undone. The
 * returned object holds `site`, `server` and `browser` once the suite runs.
 */
export function servedFixture(name) {
  const ctx = {};
  before(async () => {
    ctx.site = buildFixture(name);
    ctx.server = await serve(ctx.site.out);
    ctx.browser = await launch();
  });
  after(async () => {
    await ctx.browser?.close();
    await ctx.server?.close();
    ctx.site?.remove();
  });
  return ctx;
}
