import { afterEach, describe, expect, it } from "vitest";
import { createWebhookNotifier, type WebhookNotifierOptions } from "../../src/adapters/notify/webhook-notifier.js";
import { verifySignature } from "../../src/adapters/notify/sign-body.js";
import type { Logger } from "../../src/app/ports/logger.js";
import type { NotificationEvent } from "../../src/domain/notifications/notification-event.js";
import { startNotifyReceiver, type Answer } from "../helpers/notify-receiver.js";

const SECRET = "notify-secret-0123456789";
const event: NotificationEvent = {
  event: "apply.succeeded",
  data: {
    repo: "acme/infra", pr: { number: 7, url: "https://github.com/acme/infra/pull/7" }, project: "ledger", headSha: "0123456789abcdef", appliedBy: "alice",
    approvedBy: ["sam"], counts: { add: 1, change: 0, destroy: 0, replace: 0 }, durationMs: 10, logUrl: null,
  },
};

type Entry = { level: string; fields: Record<string, unknown>; message: string };
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

async function setUp(answers: Answer[], options: Partial<WebhookNotifierOptions> = {}) {
  const receiver = await startNotifyReceiver(answers);
  const logs: Entry[] = [];
  const log: Logger = {
    info: (fields, message) => logs.push({ level: "info", fields, message }),
    warn: (fields, message) => logs.push({ level: "warn", fields, message }),
    error: (fields, message) => logs.push({ level: "error", fields, message }),
  };
  const notifier = createWebhookNotifier({ url: receiver.url, format: "json", secret: SECRET, events: null, log, baseDelayMs: 20, maxDelayMs: 2000, attemptTimeoutMs: 2000, ...options });
  closers.push(async () => {
    await notifier.close(0);
    await receiver.close();
  });
  const until = async (what: string, check: () => boolean, ms = 10_000) => {
    const end = Date.now() + ms;
    while (!check()) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}; logs: ${JSON.stringify(logs)}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  return { receiver, notifier, logs, until };
}

describe("webhook notifier against a local receiver", () => {
  it("signs the raw body with the secret; headers name the event and a delivery id", async () => {
    const { receiver, notifier, until } = await setUp([]);
    notifier.notify(event);
    await until("a delivery", () => receiver.received.length === 1);
    const [got] = receiver.received;
    expect(verifySignature(SECRET, got!.body, got!.headers["x-tfgate-signature-256"] as string)).toBe(true);
    expect(verifySignature("another-secret-0123", got!.body, got!.headers["x-tfgate-signature-256"] as string)).toBe(false);
    expect(got!.headers["x-tfgate-event"]).toBe("apply.succeeded");
    expect(got!.headers["x-tfgate-delivery"]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(got!.headers["content-type"]).toBe("application/json");
    const body = JSON.parse(got!.body) as { event: string; delivered_at: string; data: unknown };
    expect(body).toEqual({ event: "apply.succeeded", delivered_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), data: event.data });
  });

  it("slack format: text and a section block", async () => {
    const { receiver, notifier, until } = await setUp([], { format: "slack" });
    notifier.notify(event);
    await until("a delivery", () => receiver.received.length === 1);
    const body = JSON.parse(receiver.received[0]!.body) as { text: string; blocks: unknown[] };
    expect(body.text).toContain("*ledger* applied from <https://github.com/acme/infra/pull/7|acme/infra#7>");
    expect(body.blocks).toEqual([{ type: "section", text: { type: "mrkdwn", text: body.text } }]);
  });

  it("retries after a 500 and a 429, waiting as Retry-After says, then delivers the same body", async () => {
    const { receiver, notifier, logs, until } = await setUp([{ status: 500 }, { status: 429, headers: { "retry-after": "1" } }]);
    notifier.notify(event);
    await until("the third attempt", () => receiver.received.length === 3);
    const [a, b, c] = receiver.received;
    expect(c!.at - b!.at).toBeGreaterThanOrEqual(950);
    expect(new Set([a!.body, b!.body, c!.body]).size).toBe(1);
    expect(new Set([a, b, c].map((r) => r!.headers["x-tfgate-delivery"])).size).toBe(1);
    await new Promise((r) => setTimeout(r, 200));
    expect(receiver.received).toHaveLength(3);
    expect(logs.filter((l) => l.level === "warn").map((l) => (l.fields.notification as { reason: string }).reason)).toEqual(["HTTP 500", "HTTP 429"]);
    expect(logs.filter((l) => l.level === "error")).toEqual([]);
  });

  it("does not retry a 400, and logs that it gave up", async () => {
    const { receiver, notifier, logs, until } = await setUp([{ status: 400 }]);
    notifier.notify(event);
    await until("the give-up", () => logs.some((l) => l.message === "notification given up"));
    await new Promise((r) => setTimeout(r, 200));
    expect(receiver.received).toHaveLength(1);
    expect(logs.find((l) => l.level === "error")?.fields.notification).toMatchObject({ attempts: 1, reason: expect.stringContaining("HTTP 400") });
  });

  it("gives up after the last attempt, logged with the origin only (the path may hold a token)", async () => {
    const { receiver, notifier, logs, until } = await setUp(Array.from({ length: 10 }, () => ({ status: 503 })), { maxAttempts: 3 });
    notifier.notify(event);
    await until("the give-up", () => logs.some((l) => l.message === "notification given up"));
    await new Promise((r) => setTimeout(r, 200));
    expect(receiver.received).toHaveLength(3);
    const given = logs.find((l) => l.level === "error");
    expect(given?.fields.notification).toMatchObject({ event: "apply.succeeded", attempts: 3, reason: "HTTP 503", target: new URL(receiver.url).origin });
    expect(JSON.stringify(logs)).not.toContain("T0KEN");
    expect(JSON.stringify(logs)).not.toContain(SECRET);
  });

  it("retries a refused connection, then gives up", async () => {
    const { receiver, notifier, logs, until } = await setUp([], { maxAttempts: 2 });
    await receiver.close();
    notifier.notify(event);
    await until("the give-up", () => logs.some((l) => l.message === "notification given up"));
    expect(logs.find((l) => l.level === "error")?.fields.notification).toMatchObject({ attempts: 2, reason: "network error (ECONNREFUSED)" });
  });

  it("returns at once: a receiver that takes seconds does not delay the caller", async () => {
    const { receiver, notifier, until } = await setUp([{ status: 200, delayMs: 1500 }]);
    const started = performance.now();
    notifier.notify(event);
    notifier.notify({ ...event, event: "apply.failed", data: { ...event.data, reason: "failed", message: "boom" } });
    expect(performance.now() - started).toBeLessThan(50);
    await until("both, in order", () => receiver.received.length === 2);
    expect(receiver.received.map((r) => r.headers["x-tfgate-event"])).toEqual(["apply.succeeded", "apply.failed"]);
  });

  it("sends only the configured events; a full queue drops (logged) instead of growing", async () => {
    const filtered = await setUp([], { events: new Set(["apply.failed"]) });
    filtered.notifier.notify(event);
    await new Promise((r) => setTimeout(r, 200));
    expect(filtered.receiver.received).toHaveLength(0);

    const { notifier, logs } = await setUp([], { queueLimit: 2 });
    for (let i = 0; i < 3; i++) notifier.notify(event);
    expect(logs.find((l) => l.level === "error")?.fields.notification).toMatchObject({ reason: "the queue is full (2 waiting)" });
  });

  it("close waits for a queued notification, and cuts short one that cannot be delivered", async () => {
    const ok = await setUp([{ status: 200, delayMs: 300 }]);
    ok.notifier.notify(event);
    await ok.notifier.close(5000);
    expect(ok.receiver.received).toHaveLength(1);

    const down = await setUp(Array.from({ length: 10 }, () => ({ status: 503, headers: { "retry-after": "30" } })));
    down.notifier.notify(event);
    await down.until("the first attempt", () => down.receiver.received.length === 1);
    const started = performance.now();
    await down.notifier.close(200);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(down.logs.find((l) => l.level === "error")?.fields.notification).toMatchObject({ attempts: 1, reason: "HTTP 503; the server stopped before attempt 2" });
  });
});
