import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { applyNotification } from "../../src/app/apply-notification.js";
import { notificationPayload } from "../../src/domain/notifications/notification-payload.js";
import type { NotificationEvent } from "../../src/domain/notifications/notification-event.js";
import { parseRetryAfter, retryDelayMs } from "../../src/adapters/notify/retry-delay.js";
import { signBody, verifySignature } from "../../src/adapters/notify/sign-body.js";

const counts = { add: 1, change: 2, destroy: 0, replace: 1 };
const applied = applyNotification({
  repo: "acme/infra",
  pr: 7,
  webBaseUrl: "https://github.com",
  project: "ledger",
  headSha: "0123456789abcdef0123456789abcdef01234567",
  actor: "alice",
  approvedBy: "sam, rita",
  counts,
  logUrl: "https://tfgate.example/ui/runs/j1",
  outcome: { status: "applied", output: "Apply complete!", durationMs: 1200 },
});

describe("notification payloads", () => {
  it("json: event, delivered_at and the event's data", () => {
    expect(notificationPayload(applied, "json", "2026-12-05T10:00:00.000Z")).toEqual({
      event: "apply.succeeded",
      delivered_at: "2026-12-05T10:00:00.000Z",
      data: {
        repo: "acme/infra",
        pr: { number: 7, url: "https://github.com/acme/infra/pull/7" },
        project: "ledger",
        headSha: "0123456789abcdef0123456789abcdef01234567",
        appliedBy: "alice",
        approvedBy: ["sam", "rita"],
        counts,
        durationMs: 1200,
        logUrl: "https://tfgate.example/ui/runs/j1",
      },
    });
  });

  it("a failed apply carries its reason and message", () => {
    const failed = applyNotification({
      repo: "acme/infra", pr: 7, webBaseUrl: "https://github.com", project: "ledger", headSha: "abc1234def", actor: "alice", approvedBy: null, counts, logUrl: undefined,
      outcome: { status: "error", reason: "timeout", message: "tofu apply timed out", output: "", durationMs: 5 },
    });
    expect(failed).toMatchObject({ event: "apply.failed", data: { reason: "timeout", message: "tofu apply timed out", approvedBy: [], logUrl: null } });
    expect(applyNotification({ ...baseFinished(), outcome: { status: "stale", output: "", durationMs: 1 } })).toMatchObject({ event: "apply.failed", data: { reason: "stale" } });
  });

  it("slack: text plus one mrkdwn section, names escaped, links in Slack's <url|label> form", () => {
    const body = notificationPayload(applied, "slack", "x") as { text: string; blocks: { type: string; text: { type: string; text: string } }[] };
    expect(body.blocks).toEqual([{ type: "section", text: { type: "mrkdwn", text: body.text } }]);
    expect(body.text).toContain("*ledger* applied from <https://github.com/acme/infra/pull/7|acme/infra#7> (`0123456`)");
    expect(body.text).toContain("approved by sam, rita; 1 to add, 2 to change, 1 to replace, 0 to destroy");
    const drift: NotificationEvent = { event: "drift.found", data: { repo: "acme/infra", project: "a<b>&c", counts, url: null } };
    expect((notificationPayload(drift, "slack", "x") as { text: string }).text).toContain("*a&lt;b&gt;&amp;c*");
    const merged: NotificationEvent = { event: "pr.merged-unapplied", data: { repo: "acme/infra", pr: { number: 3, url: "https://github.com/acme/infra/pull/3" }, projects: ["ledger", "dns"], mergedBy: "bob" } };
    expect((notificationPayload(merged, "slack", "x") as { text: string }).text).toContain("was merged by bob without applying *ledger*, *dns*");
  });
});

describe("signing", () => {
  it("is GitHub's scheme: sha256= and the hex HMAC-SHA256 of the raw body", () => {
    const body = '{"event":"apply.succeeded"}';
    const expected = createHmac("sha256", "s3cret-s3cret-s3cret").update(body).digest("hex");
    expect(signBody("s3cret-s3cret-s3cret", body)).toBe(`sha256=${expected}`);
    expect(verifySignature("s3cret-s3cret-s3cret", body, `sha256=${expected}`)).toBe(true);
    expect(verifySignature("another-secret-value", body, `sha256=${expected}`)).toBe(false);
    expect(verifySignature("s3cret-s3cret-s3cret", `${body} `, `sha256=${expected}`)).toBe(false);
    expect(verifySignature("s3cret-s3cret-s3cret", body, undefined)).toBe(false);
  });
});

describe("retry delays", () => {
  it("grow exponentially with jitter between half and all, capped", () => {
    const at = (attempt: number, random: number) => retryDelayMs({ attempt, baseMs: 1000, maxMs: 60_000, retryAfterMs: null, random: () => random });
    expect([at(1, 1), at(2, 1), at(3, 1), at(4, 1)]).toEqual([1000, 2000, 4000, 8000]);
    expect(at(3, 0)).toBe(2000);
    expect(at(20, 1)).toBe(60_000);
  });

  it("Retry-After wins over the back-off, capped; seconds or an HTTP date", () => {
    expect(retryDelayMs({ attempt: 1, baseMs: 1000, maxMs: 60_000, retryAfterMs: 7000, random: () => 1 })).toBe(7000);
    expect(retryDelayMs({ attempt: 1, baseMs: 1000, maxMs: 60_000, retryAfterMs: 3_600_000, random: () => 1 })).toBe(60_000);
    expect(parseRetryAfter("3", 0)).toBe(3000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4000)).toBe(6000);
    expect(parseRetryAfter("soon", 0)).toBeNull();
    expect(parseRetryAfter(null, 0)).toBeNull();
  });
});

function baseFinished() {
  return { repo: "acme/infra", pr: 1, webBaseUrl: "https://github.com", project: "p", headSha: "abcdef0", actor: "alice", approvedBy: null, counts, logUrl: undefined };
}
