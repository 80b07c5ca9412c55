import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifySignature } from "../../src/adapters/notify/sign-body.js";
import { startNotifyReceiver } from "../helpers/notify-receiver.js";
import { useHarness } from "./use-harness.js";

const NOTIFY_SECRET = "scenario-notify-secret-0123456789";
/** terraform_data needs no API: the project can really be applied offline. */
const LEDGER = `resource "terraform_data" "entry" {\n  input = "ledger"\n}\n`;

/** The real server, the fake GitHub, real tofu: an /apply reaches a signed webhook. */
describe("GitHub App: an apply notifies the configured webhook", () => {
  let receiver: Awaited<ReturnType<typeof startNotifyReceiver>>;
  // Filled before the harness starts (hooks run in order): the receiver's port is known only then.
  const env: Record<string, string> = {
    TFGATE_APPROVER_TEAMS: "acme/sre",
    TFGATE_NOTIFY_SECRET: NOTIFY_SECRET,
    // Drift checks only when a pull request closes: February 31st never comes.
    TFGATE_DRIFT: "true",
    TFGATE_DRIFT_SCHEDULE: "0 0 31 2 *",
  };
  beforeAll(async () => {
    receiver = await startNotifyReceiver();
    env.TFGATE_NOTIFY_URL = receiver.url;
  });
  afterAll(async () => {
    await receiver.close();
  });
  const h = useHarness({ env });

  it("/apply of an approved plan sends a signed apply.succeeded", async () => {
    h.fake.state.addTeamMember("acme", "sre", "sam");
    const { number, sha } = await h.openPullRequest("b-ledger", { "projects/ledger/main.tf": LEDGER });
    await h.waitFor("planned", () => h.statuses(sha)["tfgate/plan"] === "success");
    await h.approve(number);
    await h.waitFor("ready to apply", () => /ready to apply \\?\(approved by @\u200bsam\\?\)/.test(h.summary(number)));
    await h.comment(number, "alice", "/apply");
    await h.waitFor("the apply's reply", () => h.comments(number).some((c) => c.body.includes("✅ `ledger` applied")));
    const got = await h.waitFor("the notification", () => receiver.received.find((r) => r.headers["x-tfgate-event"] === "apply.succeeded"), 20_000);

    expect(verifySignature(NOTIFY_SECRET, got.body, got.headers["x-tfgate-signature-256"] as string)).toBe(true);
    expect(got.headers["x-tfgate-delivery"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(got.body)).toEqual({
      event: "apply.succeeded",
      delivered_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      data: {
        repo: "acme/infra",
        pr: { number, url: `https://github.com/acme/infra/pull/${number}` },
        project: "ledger",
        headSha: sha,
        appliedBy: "alice",
        approvedBy: ["sam"],
        counts: { add: 1, change: 0, destroy: 0, replace: 0 },
        durationMs: expect.any(Number),
        logUrl: null,
      },
    });
    // Only the apply's outcome is notified: the plan and the approval sent nothing.
    expect(receiver.received).toHaveLength(1);
    // Neither the notify secret nor the URL's token reach the server's logs.
    expect(h.logs.join("\n")).not.toContain(NOTIFY_SECRET);
    expect(h.logs.join("\n")).not.toContain("T0KEN");
  });

  it("a pull request merged with an unapplied plan sends a signed pr.merged-unapplied", async () => {
    const { number, sha } = await h.openPullRequest("b-unapplied", { "projects/journal/main.tf": LEDGER.replace("ledger", "journal") });
    await h.waitFor("planned", () => h.statuses(sha)["tfgate/plan"] === "success");
    await h.close(number, true);
    const got = await h.waitFor("the notification", () => receiver.received.find((r) => r.headers["x-tfgate-event"] === "pr.merged-unapplied"), 20_000);
    expect(verifySignature(NOTIFY_SECRET, got.body, got.headers["x-tfgate-signature-256"] as string)).toBe(true);
    expect(JSON.parse(got.body).data).toEqual({ repo: "acme/infra", pr: { number, url: `https://github.com/acme/infra/pull/${number}` }, projects: ["journal"], mergedBy: null });
  });

  it("merged without /apply with its code on main: the project is drift-checked at once and drift.found is sent; applied from a new PR that is then closed: drift.resolved", async () => {
    const { number, sha } = await h.openPullRequest("b-drifting", { "projects/almanac/main.tf": LEDGER.replace("ledger", "almanac") });
    await h.waitFor("planned", () => h.statuses(sha)["tfgate/plan"] === "success");
    await h.close(number, true, { intoMain: true });
    const found = await h.waitFor("drift.found", () => receiver.received.find((r) => r.headers["x-tfgate-event"] === "drift.found"), 90_000);
    expect(verifySignature(NOTIFY_SECRET, found.body, found.headers["x-tfgate-signature-256"] as string)).toBe(true);
    expect(JSON.parse(found.body).data).toEqual({ repo: "acme/infra", project: "almanac", counts: { add: 1, change: 0, destroy: 0, replace: 0 }, url: null });

    // main's code applied from another pull request, closed unmerged: that close checks again.
    const second = await h.openPullRequest("b-almanac-apply", { "projects/almanac/notes.md": "applied from here\n" });
    await h.waitFor("planned", () => h.statuses(second.sha)["tfgate/plan"] === "success");
    await h.approve(second.number);
    await h.waitFor("ready to apply", () => h.summary(second.number).includes("ready to apply"));
    await h.comment(second.number, "alice", "/apply");
    await h.waitFor("applied", () => h.comments(second.number).some((c) => c.body.includes("✅ `almanac` applied")));
    // The test repository stands in for GitHub's: its HEAD (the default branch) is main again.
    h.repo.git("switch", "-q", "main");
    await h.close(second.number, false);
    const resolved = await h.waitFor("drift.resolved", () => receiver.received.find((r) => r.headers["x-tfgate-event"] === "drift.resolved"), 90_000);
    expect(JSON.parse(resolved.body).data).toEqual({ repo: "acme/infra", project: "almanac", counts: { add: 0, change: 0, destroy: 0, replace: 0 }, url: null });
    expect(receiver.received.filter((r) => String(r.headers["x-tfgate-event"]).startsWith("drift."))).toHaveLength(2);
  }, 300_000);
});
