import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type * as Supervisor from "../../src/adapters/http/webhook-process-server.js";
import { sqliteLocation } from "../../src/adapters/store/open-store.js";
import { openTestStore } from "../helpers/open-test-store.js";
import { repoRoot } from "../helpers/repo-root.js";

// The built module: it forks the compiled webhook-process.js next to it (`npm run build` first).
const { startWebhookProcess } = (await import(join(repoRoot(), "dist/adapters/http/webhook-process-server.js"))) as typeof Supervisor;

/** Webhook processes this test process started. */
function children(): number[] {
  try {
    return execFileSync("pgrep", ["-P", String(process.pid), "-f", "webhook-process.js"], { encoding: "utf8" }).trim().split("\n").filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

async function waitFor<T>(what: string, check: () => T | false | Promise<T | false>, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== false) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const answers = (url: string) =>
  fetch(`${url}/healthz`).then(
    (r) => r.status,
    () => 0,
  );

describe("restarting the webhook process", () => {
  let dir: string;
  let errors: string[];
  const start = (restart: Supervisor.RestartPolicy) =>
    startWebhookProcess({
      secret: "s3cret",
      maxBodyBytes: 1024 * 1024,
      storeLocation: sqliteLocation(dir),
      host: "127.0.0.1",
      port: 0,
      dispatch: async () => undefined,
      onError: (m) => errors.push(m),
      restart,
    });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "tfgate-wp-restart-"));
    openTestStore(dir).close();
    errors = [];
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("waits longer after each quick death in a row, on the same port", async () => {
    const server = await start({ firstDelayMs: 300, maxDelayMs: 600, healthyAfterMs: 60_000 });
    try {
      const delays: number[] = [];
      for (let i = 0; i < 3; i++) {
        const [pid] = await waitFor("one webhook process", () => (children().length === 1 ? children() : false));
        const killedAt = Date.now();
        process.kill(pid as number, "SIGKILL");
        await waitFor("the replacement", () => {
          const now = children();
          return now.length === 1 && now[0] !== pid ? now : false;
        });
        await waitFor("the replacement to answer", async () => (await answers(server.url)) === 200);
        delays.push(Date.now() - killedAt);
      }
      expect(delays[0]).toBeGreaterThanOrEqual(300);
      expect(delays[1]).toBeGreaterThanOrEqual(600);
      expect(delays[2]).toBeGreaterThanOrEqual(600); // the maximum
      expect(errors.filter((e) => e.includes("starting a new one"))).toEqual([
        expect.stringContaining("in 300 ms"),
        expect.stringContaining("in 600 ms"),
        expect.stringContaining("in 600 ms"),
      ]);
      expect(await answers(server.url)).toBe(200);
    } finally {
      await server.close();
    }
    expect(children()).toEqual([]);
  });

  it("does not leave a replacement running when closed while a restart is pending", async () => {
    const server = await start({ firstDelayMs: 200, maxDelayMs: 200, healthyAfterMs: 60_000 });
    const [pid] = children();
    process.kill(pid as number, "SIGKILL");
    await waitFor("the death to be noticed", () => errors.some((e) => e.includes("exited")));
    await server.close();
    await new Promise((r) => setTimeout(r, 500));
    expect(children()).toEqual([]);
    expect(await answers(server.url)).toBe(0);
  });

  it("gives up on a webhook process that does not listen in time, and leaves none behind", async () => {
    await expect(
      startWebhookProcess({
        secret: "s3cret",
        maxBodyBytes: 1024,
        storeLocation: sqliteLocation(dir),
        host: "127.0.0.1",
        port: 0,
        dispatch: async () => undefined,
        onError: (m) => errors.push(m),
        startTimeoutMs: 1, // no process starts and listens in a millisecond
      }),
    ).rejects.toThrow("the webhook process did not listen within 1 ms");
    await waitFor("the process to be gone", () => children().length === 0);
  });
});
