import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHeldHcloudApi, slowProject, type HeldHcloudApi } from "../helpers/held-hcloud-api.js";
import { repoRoot } from "../helpers/repo-root.js";
import { NAME, OWNER } from "../server/server-harness.js";
import { useHarness } from "../server/use-harness.js";

const USER = "ops";
const PASSWORD = "correct-horse-battery-staple";
const CHROMIUM = process.env["TFGATE_CHROMIUM"] ?? "/usr/bin/chromium";
/** Screenshots are kept as test artifacts (git-ignored), for people to look at. */
const ARTIFACTS = join(repoRoot(), "test-artifacts");

describe("web UI in headless Chromium (real server, real tofu, fake GitHub)", () => {
  const h = useHarness({ env: { TFGATE_UI_USER: USER, TFGATE_UI_PASSWORD: PASSWORD, TFGATE_PUBLIC_URL: "http://tfgate.test" } });
  let api: HeldHcloudApi;
  let browser: Browser;
  const auth = { authorization: `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString("base64")}` };
  const logged = () => browser.newContext({ httpCredentials: { username: USER, password: PASSWORD }, viewport: { width: 1280, height: 900 } });

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: scripts/test.sh installs Debian's chromium (or set TFGATE_CHROMIUM)`);
    mkdirSync(ARTIFACTS, { recursive: true });
    api = await startHeldHcloudApi();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  });
  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  it("requires a login: no credentials and wrong ones get 401, nothing of the UI is shown", async () => {
    const anonymous = await browser.newContext();
    const page = await anonymous.newPage();
    const answers: { status: number; challenge: string | undefined }[] = [];
    page.on("response", (r) => answers.push({ status: r.status(), challenge: r.headers()["www-authenticate"] }));
    // Headless Chromium cannot ask for a password, so it gives up on the 401 challenge.
    await expect(page.goto(`${h.url}/ui/locks`)).rejects.toThrow(/ERR_INVALID_AUTH_CREDENTIALS/);
    expect(answers).toEqual([{ status: 401, challenge: 'Basic realm="tfgate", charset="UTF-8"' }]);
    await anonymous.close();
    const wrong = await fetch(`${h.url}/ui/runs`, { headers: { authorization: `Basic ${Buffer.from(`${USER}:nope`).toString("base64")}` } });
    expect(wrong.status).toBe(401);
    const right = await fetch(`${h.url}/ui/runs`, { headers: auth });
    expect(right.status).toBe(200);
  });

  it("streams a run's log live while the plan runs, and links it from the summary", async () => {
    const { number, sha } = await h.openPullRequest("slow", slowProject(api, "slowpoke"));
    // tofu is now waiting for the (held) cloud API: the plan is running.
    await h.waitFor("the plan reached the API", () => api.requests() > 0);
    const runs = await (await fetch(`${h.url}/ui/runs`, { headers: auth })).text();
    const jobId = /href="\/ui\/runs\/([A-Za-z0-9_-]+)">plan/.exec(runs)?.[1];
    expect(jobId).toBeDefined();

    const context = await logged();
    const page = await context.newPage();
    await page.goto(`${h.url}/ui/runs/${jobId}`);
    const log = page.locator("#log");
    await expect.poll(() => log.textContent(), { timeout: 30_000 }).toContain("data.hcloud_location.here: Reading...");
    expect(await log.textContent()).not.toContain("Plan: 1 to add");
    expect(await page.locator("#log-status").textContent()).toBe("(live)");
    await page.screenshot({ path: join(ARTIFACTS, "web-ui-live-log-running.png"), fullPage: true });

    api.release();
    // The same page, without a reload, receives the rest of the plan.
    await expect.poll(() => log.textContent(), { timeout: 60_000 }).toContain("Plan: 1 to add, 0 to change, 0 to destroy.");
    await expect.poll(() => page.locator("#log-status").textContent(), { timeout: 30_000 }).toBe("(finished: succeeded)");
    await page.screenshot({ path: join(ARTIFACTS, "web-ui-live-log-finished.png"), fullPage: true });
    await context.close();

    await h.waitFor("planned", () => h.statuses(sha)["tfgate/plan"] === "success");
    expect(h.summary(number)).toContain(`http://tfgate.test/ui/runs/${jobId}`);
    // The plain-text log is the same, and the server's secrets never appear in it.
    const text = await (await fetch(`${h.url}/ui/runs/${jobId}/log`, { headers: auth })).text();
    expect(text).toContain("Read complete");
    expect(text).not.toContain(PASSWORD);
  });

  it("lists locks and releases one after confirmation; the release is audited and the PR told", async () => {
    const { number } = await h.openPullRequest("locked", { "projects/keeper/main.tf": `resource "terraform_data" "k" {\n  input = "k"\n}\n` });
    await h.waitFor("planned", () => h.summary(number).includes("keeper"));
    const context = await logged();
    const page = await context.newPage();
    await page.goto(`${h.url}/ui/locks`);
    const row = page.locator("#locks tr", { hasText: "keeper" });
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.textContent()).toContain(`#${number}`);
    await page.screenshot({ path: join(ARTIFACTS, "web-ui-locks.png"), fullPage: true });

    await row.getByText("Release…").click();
    await expect.poll(() => page.locator("h1").textContent()).toBe("Release a lock?");
    expect(await page.locator("main").textContent()).toContain(`held by #${number}`);
    await page.locator("#confirm-release").click();
    await expect.poll(() => page.locator("#notice").textContent()).toContain("Released the lock of acme/infra keeper");
    expect(await page.locator("#locks").textContent()).not.toContain("keeper");

    await page.goto(`${h.url}/ui/audit`);
    const audit = page.locator("#audit tr", { hasText: "keeper" });
    expect(await audit.first().textContent()).toMatch(/ops\s*unlock\s*acme\/infra/);
    await page.screenshot({ path: join(ARTIFACTS, "web-ui-audit.png"), fullPage: true });
    await context.close();
    await h.waitFor("the PR is told", () => h.comments(number).find((c) => c.body.includes("was released by ops from tfgate's web UI")));
    // The summary's lock column follows.
    await h.waitFor("summary without the lock", () => /^\| `keeper` .*\| — \|$/m.test(h.summary(number)));
    expect(h.fake.state.pullRequest(OWNER, NAME, number)?.state).toBe("open");
  });

  it("refuses a release posted from another site (CSRF)", async () => {
    const forged = await fetch(`${h.url}/ui/locks/release`, {
      method: "POST",
      headers: { ...auth, origin: "https://evil.example", "content-type": "application/x-www-form-urlencoded" },
      body: "repo=acme%2Finfra&project=slowpoke&pr=1",
    });
    expect(forged.status).toBe(403);
  });

  it("serves Prometheus metrics without per-PR labels", async () => {
    // A pull_request handling ends after its check runs are published, which may follow the plan.
    let text = "";
    for (const until = Date.now() + 30_000; ; ) {
      text = await (await fetch(`${h.url}/metrics`)).text();
      if (/tfgate_webhook_handling_seconds_count\{event="pull_request",result="ok"\} [1-9]/.test(text) || Date.now() > until) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(text).toMatch(/tfgate_jobs_total\{kind="plan",outcome="succeeded"\} [1-9]/);
    expect(text).toContain("tfgate_job_duration_seconds_bucket");
    expect(text).toContain("tfgate_queue_running_jobs");
    expect(text).toContain("tfgate_queue_waiting_jobs");
    expect(text).toMatch(/tfgate_webhook_ack_seconds_count [1-9]/);
    expect(text).toMatch(/tfgate_webhook_handling_seconds_count\{event="pull_request",result="ok"\} [1-9]/);
    expect(text).toContain("tfgate_github_api_events_total");
    expect(text).not.toMatch(/pr="|repo="|project="/);
  });
});
