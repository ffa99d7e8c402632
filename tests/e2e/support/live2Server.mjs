// The real `live2 serve` for the end-to-end tests: a free loopback port, a fresh temp data dir, the built dashboard
// (LIVE2_WEB_DIR) and any extra environment, ready when /health answers. stop() sends SIGTERM and waits (SIGKILL
// after the grace period). Its output goes to `{dataDir}-serve.log`, printed when start-up fails.

import { spawn, execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { openSync, closeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

function freeLoopbackPort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

// Polls /health until it answers; `failure()` names why the process can no longer come up (or returns null).
async function waitForHealth(baseUrl, failure, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const reason = failure();
    if (reason) throw new Error(reason);
    try {
      const response = await fetch(`${baseUrl}/health`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`live2 serve did not answer /health within ${timeoutMs} ms`);
}

export async function startLive2({ binDir, webDir, env: extraEnv = {}, readyTimeoutMs = 15_000 }) {
  const root = await mkdtemp(join(tmpdir(), "live2-e2e-"));
  const dataDir = join(root, "data");
  const logPath = `${dataDir}-serve.log`;
  const port = await freeLoopbackPort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const env = { ...process.env, ...extraEnv, LIVE2_WEB_DIR: webDir };
  const logFd = openSync(logPath, "a");
  const child = spawn(join(binDir, "live2"), ["serve", "--listen", `127.0.0.1:${port}`, "--data-dir", dataDir], {
    cwd: root, // away from any developer .env
    env,
    stdio: ["ignore", logFd, logFd],
  });
  closeSync(logFd);
  let spawnError = null;
  child.once("error", (error) => {
    spawnError = error;
  });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const failure = () =>
    spawnError ? `cannot start live2 serve: ${spawnError.message}`
    : child.exitCode !== null ? `live2 serve exited with ${child.exitCode}`
    : null;

  const readLog = () => readFile(logPath, "utf8").catch(() => "");
  try {
    await waitForHealth(baseUrl, failure, readyTimeoutMs);
  } catch (error) {
    child.kill("SIGKILL");
    const log = await readLog();
    await rm(root, { recursive: true, force: true });
    throw new Error(`${error.message}\n--- serve log ---\n${log}`);
  }

  return {
    baseUrl,
    dataDir,
    readLog,
    async createKey(user, tier) {
      const { stdout } = await run(join(binDir, "live2"), ["keys", "create", "--user", user, "--tier", tier, "--data-dir", dataDir], {
        cwd: root,
        env,
      });
      const key = stdout.match(/sk_live_[0-9a-f]{32}/);
      if (!key) throw new Error(`live2 keys create printed no key: ${stdout}`);
      return key[0];
    },
    async stop(graceMs = 20_000) {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
        await exited;
        clearTimeout(timer);
      }
      await rm(root, { recursive: true, force: true });
    },
  };
}
