import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../helpers/repo-root.js";
import { useHarness } from "../server/use-harness.js";

const USER = "ops";
const PASSWORD = "correct-horse-battery-staple";
const CHROMIUM = process.env["TFGATE_CHROMIUM"] ?? "/usr/bin/chromium";
const ARTIFACTS = join(repoRoot(), "test-artifacts");

describe("web UI drift page in headless Chromium (real server, real tofu, fake GitHub)", () => {
  const h = useHarness({ env: { TFGATE_UI_USER: USER, TFGATE_UI_PASSWORD: PASSWORD, TFGATE_DRIFT: "true", TFGATE_DRIFT_JITTER_SECONDS: "0" } });
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: scripts/test.sh installs Debian's chromium (or set TFGATE_CHROMIUM)`);
    mkdirSync(ARTIFACTS, { recursive: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** Reloads until `check` holds: the pages are server-rendered, a finished check shows on the next load. */
  async function reloadUntil(page: Page, what: string, check: () => Promise<boolean>, timeoutMs = 150_000): Promise<void> {
    for (const until = Date.now() + timeoutMs; !(await check()); ) {
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}: ${await page.locator("main").textContent()}`);
      await new Promise((r) => setTimeout(r, 500));
      await page.reload();
    }
  }

  it("shows each project's latest check after a real one ran; Check now adds a check to the project's history", async () => {
    const { number } = await h.openPullRequest("touch-kirare", { "projects/kirare/notes.md": "x\n" });
    await h.waitFor("the PR's summary", () => h.summary(number).includes("kirare"));
    // The test repository stands in for GitHub's: its HEAD (the default branch) is main again.
    h.repo.git("switch", "-q", "main");
    const main = h.repo.git("rev-parse", "main").slice(0, 12);

    const context = await browser.newContext({ httpCredentials: { username: USER, password: PASSWORD }, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${h.url}/ui/runs`);
    await page.locator("header").getByText("Drift").click();
    const repo = page.locator('section[data-repo="acme/infra"]');
    // The repository is known from the pull request; its whole default branch is checked.
    await repo.getByRole("button", { name: "Check all projects now" }).click();
    expect(await page.locator("#notice").textContent()).toBe("Check of all projects of acme/infra queued.");
    const rows = repo.locator("tbody tr[data-project]");
    await reloadUntil(page, "the drift checks", async () => {
      const texts = await rows.allTextContents();
      return texts.length >= 3 && texts.every((t) => !t.includes("running"));
    });
    const kirare = repo.locator('tr[data-project="kirare"]');
    const text = (await kirare.textContent()) ?? "";
    expect(text).toMatch(/in sync|drifted: \d+ to add|error/);
    expect(text).toContain(main);
    // The pull request that touched kirare holds its lock while it is checked.
    expect(text).toContain(`#${number}`);
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-project")))).toEqual(expect.arrayContaining(["kirare", "ortensia", "stella-maris"]));
    await page.screenshot({ path: join(ARTIFACTS, "web-ui-drift.png"), fullPage: true });

    await kirare.getByRole("button", { name: "Check now" }).click();
    await expect.poll(() => page.locator("h1").textContent()).toBe("Drift of kirare");
    expect(await page.locator("#notice").textContent()).toBe("Check of acme/infra kirare queued.");
    const history = page.locator("#drift-history tr[data-check]");
    await reloadUntil(page, "the second check of kirare", async () => {
      const texts = await history.allTextContents();
      return texts.length >= 2 && !(texts[0] ?? "").includes("running");
    });
    const [newest, older] = await history.evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute("data-check"))));
    expect(newest).toBeGreaterThan(older ?? Infinity);
    const first = (await history.first().textContent()) ?? "";
    if (first.includes("drifted")) {
      // A drifted check's plan is one click away, as tofu showed it.
      await page.locator(".drift-diff summary").first().click();
      expect(await page.locator(".drift-diff pre").first().textContent()).toContain("hcloud_firewall");
    }
    await page.screenshot({ path: join(ARTIFACTS, "web-ui-drift-history.png"), fullPage: true });
    await context.close();
  });
});
