import { sign } from "@octokit/webhooks-methods";
import { connect, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createWebhookVerifier } from "../../src/adapters/github/webhook-verifier.js";
import { createWebhookServer, type Delivery, type WebhookServer } from "../../src/adapters/http/webhook-server.js";

const SECRET = "a-webhook-secret-of-some-length";

describe("webhook server", () => {
  let server: WebhookServer | undefined;
  afterEach(async () => server?.close());

  async function start(options: { slowDispatchMs?: number; maxBodyBytes?: number; bodyBudgetBytes?: number } = {}) {
    const seen = new Set<string>();
    const handled: Delivery[] = [];
    server = createWebhookServer({
      verifier: createWebhookVerifier(SECRET),
      maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024,
      ...(options.bodyBudgetBytes ? { bodyBudgetBytes: options.bodyBudgetBytes } : {}),
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
    return { url, handled, post, signed, held: () => server?.bodyBytesHeld() ?? 0 };
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

  it("refuses a request without a well-formed signature or with bad headers before reading its body", async () => {
    const s = await start({ maxBodyBytes: 100 });
    const big = JSON.stringify({ big: "x".repeat(200) });
    // Over the size limit too, yet answered for what its headers lack: no byte of it was needed.
    expect((await s.post(big, { "x-github-event": "ping", "x-github-delivery": "a" })).status).toBe(401);
    expect((await s.post(big, { "x-github-event": "ping", "x-github-delivery": "a", "x-hub-signature-256": "sha256=zz" })).status).toBe(401);
    expect((await s.post(big, { "x-hub-signature-256": `sha256=${"0".repeat(64)}` })).status).toBe(400);
    expect(s.held()).toBe(0);
  });

  it("bounds the bytes of bodies held at once: 503 with Retry-After over the budget, and the budget comes back", async () => {
    const s = await start({ maxBodyBytes: 10_000, bodyBudgetBytes: 15_000 });
    const { port } = new URL(s.url);
    const headers = (extra: string) =>
      `POST /webhooks HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\nx-github-event: ping\r\nx-github-delivery: slow\r\nx-hub-signature-256: sha256=${"0".repeat(64)}\r\n${extra}\r\n`;
    // A sender that declared 10,000 bytes, sent 9,000 and stalls: those are held.
    const slow = connect(Number(port), "127.0.0.1");
    const slowAnswer = answerOf(slow);
    slow.write(headers("content-length: 10000\r\n") + "x".repeat(9000));
    await until(() => s.held() === 9000);
    // A declared body larger than what is left is refused without being read.
    const body = JSON.stringify({ zen: "y".repeat(7000) });
    const refused = await s.signed(body, "d-1");
    expect(refused).toEqual({ status: 503, body: { error: "too many webhook bodies are being received at once; try again shortly" } });
    const withHeaders = await fetch(`${s.url}/webhooks`, { method: "POST", body, headers: { "x-github-event": "ping", "x-github-delivery": "d-0", "x-hub-signature-256": `sha256=${"0".repeat(64)}` } });
    expect(withHeaders.headers.get("retry-after")).toBe("5");
    await withHeaders.arrayBuffer();
    // A body of unknown length (chunked) is refused when its bytes reach the budget.
    const chunked = connect(Number(port), "127.0.0.1");
    const chunkedAnswer = answerOf(chunked);
    chunked.write(headers("transfer-encoding: chunked\r\n"));
    for (let i = 0; i < 7; i++) chunked.write(`3e8\r\n${"z".repeat(1000)}\r\n`);
    expect(await chunkedAnswer).toMatch(/^HTTP\/1\.1 503 /);
    expect(s.held()).toBe(9000);
    // The stalled body ends (its signature is wrong): its bytes are given back.
    slow.write("x".repeat(1000));
    expect(await slowAnswer).toMatch(/^HTTP\/1\.1 401 /);
    await until(() => s.held() === 0);
    expect((await s.signed(body, "d-1")).status).toBe(202);
    // A sender that leaves mid-body gives its bytes back too.
    const gone = connect(Number(port), "127.0.0.1");
    gone.write(headers("content-length: 10000\r\n") + "x".repeat(5000));
    await until(() => s.held() === 5000);
    gone.destroy();
    await until(() => s.held() === 0);
    expect(s.handled.map((d) => d.id)).toEqual(["d-1"]);
  });
});

/** The first bytes a raw connection receives (the status line onwards), or "" when it closes first. */
function answerOf(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    let got = "";
    socket.on("data", (d: Buffer) => {
      got += d.toString();
      if (got.includes("\r\n\r\n")) resolve(got);
    });
    socket.on("error", () => resolve(got));
    socket.on("close", () => resolve(got));
  });
}

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 10));
  }
}
