import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createWebRoutes } from "../../src/adapters/http/ui/web-routes.js";
import { startWebServer, type WebServer } from "../../src/adapters/http/web-server.js";
import { createFileRunLogs } from "../../src/adapters/logs/file-run-logs.js";
import { openTestStore } from "../helpers/open-test-store.js";
import { releaseLock } from "../../src/app/release-lock.js";

const SHA = "a".repeat(40);
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined } as never;

describe("web routes: authentication, escaping, lock release, run logs", () => {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function start(credentials: { user: string; password: string } | null) {
    const dir = mkdtempSync(join(tmpdir(), "tfgate-web-"));
    const store = openTestStore(dir);
    const runLogs = createFileRunLogs({ dir: join(dir, "logs"), scrub: (t) => t.replaceAll("s3cr3t-value", "***") });
    const told: string[] = [];
    const web: WebServer = await startWebServer(
      createWebRoutes({
        jobs: store.jobs,
        audit: store.audit,
        locks: store.locks,
        runLogs,
        credentials,
        pullLink: (repo, pr) => `https://github.example/${repo}/pull/${pr}`,
        metrics: { contentType: "text/plain", render: async () => "m 1\n" },
        releaseLock: (input) => releaseLock({ locks: store.locks, audit: store.audit, log: silent, notify: async (_r, _p, _project, text) => void told.push(text) }, { ...input, via: "web-ui" }),
        drift: store.drift,
        log: silent,
      }),
      (err) => {
        throw err;
      },
    );
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }), () => store.close(), () => web.close());
    const base = `http://127.0.0.1:${web.port}`;
    return { store, runLogs, base, told, dir };
  }
  const basic = (user: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}` });
  const ok = basic("ops", "long-enough-password");

  it("without a configured password the UI is not served at all; metrics still are", async () => {
    const { base } = await start(null);
    const r = await fetch(`${base}/ui/locks`, { headers: ok });
    expect(r.status).toBe(503);
    expect(await r.text()).toContain("set TFGATE_UI_PASSWORD");
    expect(await (await fetch(`${base}/metrics`)).text()).toBe("m 1\n");
  });

  it("every UI path needs the credentials, compared exactly", async () => {
    const { base } = await start({ user: "ops", password: "long-enough-password" });
    for (const path of ["/ui", "/ui/runs", "/ui/locks", "/ui/audit", "/ui/runs/x/events", "/ui/nowhere"]) {
      expect((await fetch(`${base}${path}`)).status, path).toBe(401);
      expect((await fetch(`${base}${path}`, { headers: basic("ops", "long-enough-passwor") })).status, path).toBe(401);
      expect((await fetch(`${base}${path}`, { headers: basic("Ops", "long-enough-password") })).status, path).toBe(401);
    }
    expect((await fetch(`${base}/ui/runs`, { headers: ok })).status).toBe(200);
    expect((await fetch(`${base}/ui/nowhere`, { headers: ok })).status).toBe(404);
    expect((await fetch(`${base}/ui/runs?pr=-3`, { headers: ok })).status).toBe(400);
  });

  it("escapes what it shows (a job's error is free text)", async () => {
    const { base, store } = await start({ user: "ops", password: "long-enough-password" });
    await store.jobs.create({ id: "job-1", repo: "acme/infra", pr: 3, project: "web", headSha: SHA, actor: "alice" });
    await store.jobs.transition("job-1", "failed", { error: `<script>alert("x")</script>` });
    const page = await (await fetch(`${base}/ui/runs/job-1`, { headers: ok })).text();
    expect(page).not.toContain("<script>alert");
    expect(page).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect((await fetch(`${base}/ui/runs/..%2Fetc`, { headers: ok })).status).toBe(404);
  });

  it("releases only the lock the operator saw, only from tfgate's own page", async () => {
    const { base, store, told } = await start({ user: "ops", password: "long-enough-password" });
    await store.locks.acquire("acme/infra", "web", 3);
    const post = (body: string, headers: Record<string, string>) =>
      fetch(`${base}/ui/locks/release`, { method: "POST", redirect: "manual", headers: { ...ok, "content-type": "application/x-www-form-urlencoded", ...headers }, body });
    expect((await post("repo=acme%2Finfra&project=web&pr=3", {})).status).toBe(403);
    expect((await post("repo=acme%2Finfra&project=web&pr=3", { "sec-fetch-site": "cross-site" })).status).toBe(403);
    // The lock changed hands in between: nothing is released.
    expect((await post("repo=acme%2Finfra&project=web&pr=4", { "sec-fetch-site": "same-origin" })).status).toBe(409);
    expect((await store.locks.list()).map((l) => l.pr)).toEqual([3]);
    const done = await post("repo=acme%2Finfra&project=web&pr=3", { origin: base });
    expect(done.status).toBe(303);
    expect(done.headers.get("location")).toContain("/ui/locks?released=");
    expect(await store.locks.list()).toEqual([]);
    expect((await store.audit.list())[0]).toMatchObject({ actor: "ops", action: "unlock", repo: "acme/infra", pr: 3, project: "web", result: "released" });
    expect(told).toHaveLength(1);
    expect((await post("repo=acme%2Finfra&project=web&pr=3", { origin: base })).status).toBe(409);
  });

  it("shows and releases a lock of a nested project name (web/prod)", async () => {
    const { base, store } = await start({ user: "ops", password: "long-enough-password" });
    await store.locks.acquire("acme/infra", "web/prod", 5);
    const page = await (await fetch(`${base}/ui/locks`, { headers: ok })).text();
    expect(page).toContain("web/prod");
    expect(page).toContain("project=web%2Fprod");
    const form = await fetch(`${base}/ui/locks/release?repo=acme%2Finfra&project=web%2Fprod`, { headers: ok });
    expect(form.status).toBe(200);
    const done = await fetch(`${base}/ui/locks/release`, {
      method: "POST",
      redirect: "manual",
      headers: { ...ok, "content-type": "application/x-www-form-urlencoded", origin: base },
      body: "repo=acme%2Finfra&project=web%2Fprod&pr=5",
    });
    expect(done.status).toBe(303);
    expect(await store.locks.list()).toEqual([]);
  });

  it("run logs: scrubbed, replayed then followed live, ended with the job's state, kept 0600", async () => {
    const { base, store, runLogs, dir } = await start({ user: "ops", password: "long-enough-password" });
    await store.jobs.create({ id: "job-2", repo: "acme/infra", pr: 3, project: "web", headSha: SHA });
    await store.jobs.transition("job-2", "running");
    runLogs.append("job-2", "first line with s3cr3t-value");
    const controller = new AbortController();
    const response = await fetch(`${base}/ui/runs/job-2/events`, { headers: ok, signal: controller.signal });
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    let text = "";
    const readUntil = async (needle: string) => {
      while (!text.includes(needle)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before ${needle}: ${text}`);
        text += Buffer.from(value).toString("utf8");
      }
    };
    await readUntil("data: first line with ***");
    runLogs.append("job-2", "second line");
    await readUntil("data: second line");
    await store.jobs.transition("job-2", "succeeded");
    runLogs.finish("job-2");
    await readUntil("event: end\ndata: succeeded");
    expect(text).not.toContain("s3cr3t-value");
    expect(await (await fetch(`${base}/ui/runs/job-2/log`, { headers: ok })).text()).toBe("first line with ***\nsecond line\n");
    expect(statSync(join(dir, "logs", "job-2.log")).mode & 0o777).toBe(0o600);
    // A finished job's events replay the file and end at once.
    const again = await (await fetch(`${base}/ui/runs/job-2/events`, { headers: ok })).text();
    expect(again).toContain("data: second line\n\nevent: end\ndata: succeeded");
  });

  it("caps a runaway log", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tfgate-logs-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const logs = createFileRunLogs({ dir, scrub: (t) => t, maxBytesPerJob: 100 });
    for (let i = 0; i < 50; i++) logs.append("j", `line ${i} ${"x".repeat(10)}`);
    logs.finish("j");
    await new Promise((r) => setTimeout(r, 50));
    const text = (await logs.read("j")) ?? "";
    expect(text.split("\n").length).toBeLessThan(10);
    expect(text).toContain("[tfgate: log truncated at 100 bytes]");
    expect(await logs.read("../../etc/passwd")).toBeNull();
  });
});
