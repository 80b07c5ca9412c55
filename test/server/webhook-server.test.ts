import { sign } from "@octokit/webhooks-methods";
import { afterEach, describe, expect, it } from "vitest";
import { createWebhookVerifier } from "../../src/adapters/github/webhook-verifier.js";
import { createWebhookServer, type Delivery, type WebhookServer } from "../../src/adapters/http/webhook-server.js";

const SECRET = "a-webhook-secret-of-some-length";

describe("webhook server", () => {
  let server: WebhookServer | undefined;
  afterEach(async () => server?.close());

  async function start(options: { slowDispatchMs?: number; maxBodyBytes?: number } = {}) {
    const seen = new Set<string>();
    const handled: Delivery[] = [];
    server = createWebhookServer({
      verifier: createWebhookVerifier(SECRET),
      maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024,
      record: async (d) => (seen.has(d.id) ? "duplicate" : (seen.add(d.id), "new")),
      dispatch: async (d) => {
        if (options.slowDispatchMs) await new Promise((r) => setTimeout(r, options.slowDispatchMs));
        handled.push(d);
      },
    });
    const url = await server.listen(0, "127.0.0.1");
    const post = async (body: string, headers: Record<string, string>) => {
      const res = await fetch(`${url}/webhooks`, { method: "POST", body, headers: { "content-type": "application/json", ...headers } });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    const signed = async (body: string, id: string = crypto.randomUUID(), event = "ping") =>
      post(body, { "x-github-event": event, "x-github-delivery": id, "x-hub-signature-256": await sign(SECRET, body) });
    return { url, handled, post, signed };
  }

  it("accepts a signed delivery with 202 before the work is done, and runs it", async () => {
    const s = await start({ slowDispatchMs: 300 });
    const r = await s.signed(JSON.stringify({ zen: "hi" }), "d-1");
    expect(r).toEqual({ status: 202, body: { status: "accepted", delivery: "d-1" } });
    expect(s.handled).toEqual([]);
    await new Promise((r) => setTimeout(r, 500));
    expect(s.handled).toEqual([{ id: "d-1", event: "ping", payload: { zen: "hi" } }]);
  });

  it("rejects a bad or missing signature with 401 and runs nothing", async () => {
    const s = await start();
    const body = JSON.stringify({ zen: "hi" });
    expect((await s.post(body, { "x-github-event": "ping", "x-github-delivery": "x", "x-hub-signature-256": await sign("another-secret-value", body) })).status).toBe(401);
    expect((await s.post(body, { "x-github-event": "ping", "x-github-delivery": "y" })).status).toBe(401);
    expect((await s.post(body, { "x-github-event": "ping", "x-github-delivery": "z", "x-hub-signature-256": "sha1=abc" })).status).toBe(401);
    await new Promise((r) => setTimeout(r, 50));
    expect(s.handled).toEqual([]);
  });

  it("answers 400 for malformed JSON (validly signed) and for missing headers", async () => {
    const s = await start();
    const bad = "{ not json";
    expect(await s.signed(bad)).toEqual({ status: 400, body: { error: "body is not valid JSON" } });
    expect((await s.post("{}", { "x-hub-signature-256": await sign(SECRET, "{}") })).status).toBe(400);
    expect(await s.signed("{}", "id with spaces")).toEqual({
      status: 400,
      body: { error: "X-GitHub-Event must be an event name and X-GitHub-Delivery 1–200 printable ASCII characters" },
    });
    expect((await s.signed("{}", "d-ok", "Pull-Request")).status).toBe(400);
    expect(s.handled).toEqual([]);
  });

  it("runs a redelivered delivery once", async () => {
    const s = await start();
    const body = JSON.stringify({ n: 1 });
    expect((await s.signed(body, "same")).status).toBe(202);
    expect(await s.signed(body, "same")).toEqual({ status: 200, body: { status: "duplicate", delivery: "same" } });
    await new Promise((r) => setTimeout(r, 50));
    expect(s.handled).toHaveLength(1);
  });

  it("refuses a body over the size limit with 413, and other methods and paths", async () => {
    const s = await start({ maxBodyBytes: 100 });
    expect((await s.signed(JSON.stringify({ big: "x".repeat(200) }))).status).toBe(413);
    expect((await fetch(`${s.url}/webhooks`)).status).toBe(405);
    expect((await fetch(`${s.url}/nope`)).status).toBe(404);
  });
});
