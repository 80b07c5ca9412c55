import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createWebRoutes } from "../../src/adapters/http/ui/web-routes.js";
import { startWebServer } from "../../src/adapters/http/web-server.js";
import { createFileRunLogs } from "../../src/adapters/logs/file-run-logs.js";
import type { CheckDriftNowInput, CheckDriftNowResult } from "../../src/app/check-drift-now.js";
import { openTestStore } from "../helpers/open-test-store.js";

const SHA = "b".repeat(40);
const CREDENTIALS = { user: "ops", password: "long-enough-password" };
const ok = { authorization: `Basic ${Buffer.from("ops:long-enough-password").toString("base64")}` };

/** A checkNow whose checks end when the test says so. */
function fakeCheckNow() {
  const calls: CheckDriftNowInput[] = [];
  const pending: ((r: CheckDriftNowResult | Error) => void)[] = [];
  const checkNow = (input: CheckDriftNowInput) => {
    calls.push(input);
    return new Promise<CheckDriftNowResult>((resolve, reject) => pending.push((r) => (r instanceof Error ? reject(r) : resolve(r))));
  };
  return { calls, checkNow, settle: (r: CheckDriftNowResult | Error) => pending.shift()?.(r) };
}

describe("web routes: the drift pages and Check now", () => {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function start(options: { drift: boolean; clock?: { now: () => number } }) {
    const dir = mkdtempSync(join(tmpdir(), "tfgate-drift-web-"));
    const store = openTestStore(dir, options.clock ? { clock: options.clock } : {});
    const fake = fakeCheckNow();
    const logged: { level: string; fields: Record<string, unknown>; message: string }[] = [];
    const at = (level: string) => (fields: Record<string, unknown>, message: string) => void logged.push({ level, fields, message });
    const web = await startWebServer(
      createWebRoutes({
        jobs: store.jobs,
        audit: store.audit,
        locks: store.locks,
        runLogs: createFileRunLogs({ dir: join(dir, "logs"), scrub: (t) => t }),
        credentials: CREDENTIALS,
        pullLink: (repo, pr) => `https://github.example/${repo}/pull/${pr}`,
        metrics: { contentType: "text/plain", render: async () => "" },
        releaseLock: () => Promise.reject(new Error("not in this test")),
        drift: store.drift,
        ...(options.drift ? { checkDriftNow: fake.checkNow } : {}),
        log: { info: at("info"), warn: at("warn"), error: at("error") },
      }),
      (err) => {
        throw err;
      },
    );
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }), () => store.close(), () => web.close());
    const base = `http://127.0.0.1:${web.port}`;
    const recordCheck = async (project: string, state: "in-sync" | "drifted") => {
      const begun = await store.drift.begin({ repo: "acme/infra", project, sha: SHA, scheduledFor: 60_000 * Math.floor(Date.now() / 60_000) });
      if (begun.status !== "started") throw new Error("busy");
      await store.drift.finish(begun.id, state === "in-sync" ? { state } : { state, counts: { add: 1, change: 0, destroy: 0, replace: 0 }, diff: "+ x" }, 4);
    };
    const post = (body: string, headers: Record<string, string> = { origin: base }) =>
      fetch(`${base}/ui/drift/check`, { method: "POST", redirect: "manual", headers: { ...ok, "content-type": "application/x-www-form-urlencoded", ...headers }, body });
    return { store, base, fake, logged, recordCheck, post };
  }

  it("needs the login and the same-origin form, like the lock release: nothing started otherwise", async () => {
    const { base, fake, recordCheck, post } = await start({ drift: true });
    await recordCheck("web", "in-sync");
    expect((await fetch(`${base}/ui/drift`)).status).toBe(401);
    const anonymous = await fetch(`${base}/ui/drift/check`, { method: "POST", headers: { origin: base, "content-type": "application/x-www-form-urlencoded" }, body: "repo=acme%2Finfra" });
    expect(anonymous.status).toBe(401);
    expect((await post("repo=acme%2Finfra", {})).status).toBe(403);
    expect((await post("repo=acme%2Finfra", { origin: "https://evil.example" })).status).toBe(403);
    expect((await post("repo=acme%2Finfra", { "sec-fetch-site": "cross-site" })).status).toBe(403);
    expect(fake.calls).toEqual([]);
  });

  it("refuses an unknown repository or project, or a missing repo, with a clear message and nothing started", async () => {
    const { fake, recordCheck, post } = await start({ drift: true });
    await recordCheck("web", "in-sync");
    const noRepo = await post("repo=acme%2Fother&project=web");
    expect(noRepo.status).toBe(404);
    expect(await noRepo.text()).toContain("tfgate knows no repository acme/other: nothing was started.");
    const noProject = await post("repo=acme%2Finfra&project=%3Cdb%3E");
    expect(noProject.status).toBe(404);
    const text = await noProject.text();
    expect(text).toContain("acme/infra has no drift-checked project &lt;db&gt;: nothing was started.");
    expect((await post("project=web")).status).toBe(400);
    expect(fake.calls).toEqual([]);
  });

  it("a history asked for with a malformed repo or project is a 400 naming what it needs, not a server error", async () => {
    const { base } = await start({ drift: true });
    for (const query of ["repo=acme&project=web", "repo=acme%2Finfra&project=..%2Fx", "repo=a%2Fb%2Fc&project=web", "project=web"]) {
      const r = await fetch(`${base}/ui/drift/history?${query}`, { headers: ok });
      expect(r.status, query).toBe(400);
      expect(await r.text()).toContain("The history needs a repo (owner/name) and a project name.");
    }
  });

  it("starts a project's check without waiting for it; the history says queued until it ends; no second one meanwhile", async () => {
    const { base, fake, recordCheck, post, logged } = await start({ drift: true });
    await recordCheck("web/prod", "drifted");
    const started = await post("repo=acme%2Finfra&project=web%2Fprod");
    expect(started.status).toBe(303);
    const location = started.headers.get("location") ?? "";
    expect(location).toBe("/ui/drift/history?repo=acme%2Finfra&project=web%2Fprod&queued=1");
    const historyPath = "/ui/drift/history?repo=acme%2Finfra&project=web%2Fprod";
    expect(fake.calls).toEqual([{ repo: "acme/infra", projects: ["web/prod"] }]);
    const history = await (await fetch(`${base}${location}`, { headers: ok })).text();
    expect(history).toContain("Check of acme/infra web/prod queued.");
    expect(history).toContain("check queued");
    expect(history).toContain("<summary>Plan of check 1</summary><pre>+ x</pre>");
    const again = await post("repo=acme%2Finfra&project=web%2Fprod");
    expect(again.status).toBe(409);
    expect(await again.text()).toContain("already queued or running");
    expect(fake.calls).toHaveLength(1);
    expect(logged).toContainEqual(expect.objectContaining({ level: "info", fields: { repo: "acme/infra", project: "web/prod", actor: "ops" } }));

    // The check has run (its result is recorded) while what follows it (the drift issue) still
    // goes on: the recorded check speaks for itself, and the button is back.
    await recordCheck("web/prod", "in-sync");
    const after = await (await fetch(`${base}${historyPath}`, { headers: ok })).text();
    expect(after).not.toContain("check queued");
    expect(after).toContain('class="check-now"');
    fake.calls.length = 0;
    expect((await post("repo=acme%2Finfra&project=web%2Fprod")).status).toBe(303);
    expect(fake.calls).toHaveLength(1);

    // A refusal known only once the default branch is read is logged; the button comes back.
    fake.settle({ status: "refused", message: "acme/infra has no project `web/prod` at its default branch's head" });
    await poll(() => logged.some((l) => l.level === "warn"));
    expect(logged.find((l) => l.level === "warn")?.fields["problem"]).toContain("has no project");
    expect(await (await fetch(`${base}/ui/drift`, { headers: ok })).text()).toContain('class="check-now"');
  });

  it("checks all of a repository's projects; a failure later is only logged", async () => {
    const { base, fake, recordCheck, post, logged } = await start({ drift: true });
    await recordCheck("web", "in-sync");
    const started = await post("repo=acme%2Finfra");
    expect(started.status).toBe(303);
    expect(started.headers.get("location")).toBe("/ui/drift?queued=acme%2Finfra");
    expect(fake.calls).toEqual([{ repo: "acme/infra" }]);
    const page = await (await fetch(`${base}/ui/drift?queued=acme%2Finfra`, { headers: ok })).text();
    expect(page).toContain("Check of all projects of acme/infra queued.");
    expect(page).not.toContain('class="check-now"');
    // A project's check while the whole repository's is queued would plan it twice.
    expect((await post("repo=acme%2Finfra&project=web")).status).toBe(409);
    fake.settle(new Error("git fetch failed"));
    await poll(() => logged.some((l) => l.level === "error"));
    expect(logged.find((l) => l.level === "error")?.message).toBe("drift check from the web UI failed");
  });

  it("a crafted 'queued' link claims nothing: no notice without a check asked for or started lately", async () => {
    // The only check of the project started an hour ago.
    const { base, recordCheck } = await start({ drift: true, clock: { now: () => Date.now() - 3600_000 } });
    await recordCheck("web", "in-sync");
    expect(await (await fetch(`${base}/ui/drift?queued=acme%2Finfra`, { headers: ok })).text()).not.toContain('id="notice"');
    expect(await (await fetch(`${base}/ui/drift/history?repo=acme%2Finfra&project=web&queued=1`, { headers: ok })).text()).not.toContain('id="notice"');
    expect((await fetch(`${base}/ui/drift/history?repo=acme%2Finfra&project=nope`, { headers: ok })).status).toBe(404);
    expect((await fetch(`${base}/ui/drift/history?repo=acme%2Finfra`, { headers: ok })).status).toBe(400);
  });

  it("with drift turned off: the page says so, offers no button, and a post is refused", async () => {
    const { base, recordCheck, post, fake } = await start({ drift: false });
    const empty = await (await fetch(`${base}/ui/drift`, { headers: ok })).text();
    expect(empty).toContain("drift checks are turned off on this server (TFGATE_DRIFT=false)");
    await recordCheck("web", "in-sync");
    const page = await (await fetch(`${base}/ui/drift`, { headers: ok })).text();
    expect(page).toContain("in sync");
    expect(page).not.toContain("<button");
    const refused = await post("repo=acme%2Finfra&project=web");
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain("Nothing was started: drift checks are turned off on this server (TFGATE_DRIFT=false).");
    expect(fake.calls).toEqual([]);
  });
});

async function poll(check: () => boolean, timeoutMs = 5000): Promise<void> {
  for (const until = Date.now() + timeoutMs; !check(); ) {
    if (Date.now() > until) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 20));
  }
}
