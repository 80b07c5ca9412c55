import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { DELIVERY_ID, EVENT_NAME } from "../../domain/webhook-headers.js";
import type { SignatureCheck, WebhookVerifier } from "../github/webhook-verifier.js";
import { createBodyBudget, type BodyLease } from "./body-budget.js";

export interface Delivery {
  readonly id: string;
  readonly event: string;
  readonly payload: unknown;
}

export interface WebhookServerOptions {
  readonly verifier: WebhookVerifier;
  /**
   * Records an accepted delivery with its raw body, before the 202; "duplicate" when GitHub
   * redelivers a delivery id already accepted, or a delivery is replayed.
   */
  readonly record: (delivery: Delivery, rawBody: string) => Promise<"new" | "duplicate">;
  /**
   * The work itself, started after the answer is sent (GitHub gives up after 10 s).
   * `ackSeconds`: from the request's arrival to the 202, for metrics. `rawBody` is the verified
   * body as received (a string crosses to another process far more cheaply than the parsed object).
   */
  readonly dispatch: (delivery: Delivery, ackSeconds: number, rawBody: string) => Promise<void>;
  readonly maxBodyBytes: number;
  /**
   * Bytes of bodies held at once across requests, from the first byte read to the answer
   * (default: twice `maxBodyBytes`). A request that would go over it is answered 503.
   */
  readonly bodyBudgetBytes?: number;
  readonly onError?: (err: unknown, delivery?: Delivery) => void;
  /** Extra routes (health, metrics, UI) tried after /webhooks; return false when not handled. */
  readonly routes?: (req: IncomingMessage, res: ServerResponse) => Promise<boolean> | boolean;
}

export interface WebhookServer {
  readonly server: Server;
  /** Bytes of webhook bodies held now (read and not yet answered). */
  bodyBytesHeld(): number;
  listen(port: number, host: string): Promise<string>;
  close(): Promise<void>;
}

/** Why a body was not read whole. */
type Unread = "too-large" | "over-budget" | "aborted" | "failed";

class BodyNotRead extends Error {
  constructor(readonly reason: Unread) {
    super(reason);
  }
}

/**
 * Reads the body into memory, counting each chunk against the request's lease as it arrives (so a
 * client that declares a big body and sends nothing holds nothing) and feeding it to the
 * signature check.
 */
function readBody(req: IncomingMessage, limit: number, lease: BodyLease, check: SignatureCheck): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    let chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const fail = (reason: Unread) => {
      if (settled) return;
      settled = true;
      chunks = [];
      lease.release();
      // Nothing more is read: the answer goes out, then the connection closes.
      req.pause();
      reject(new BodyNotRead(reason));
    };
    req.on("data", (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > limit) fail("too-large");
      else if (!lease.take(chunk.length)) fail("over-budget");
      else {
        chunks.push(chunk);
        check.update(chunk);
      }
    });
    req.on("end", () => {
      if (settled) return;
      settled = true;
      resolve(chunks);
    });
    req.on("error", () => fail("failed"));
    // A client gone mid-body may end the request without "end" or "error".
    req.on("close", () => fail("aborted"));
  });
}

function reply(res: ServerResponse, status: number, body: Record<string, unknown>): void {
  res.writeHead(status, { "content-type": "application/json" }).end(`${JSON.stringify(body)}\n`);
}

/** An answer given before the body was read whole: the connection closes after it, so the rest of the body is not read. */
function refuse(res: ServerResponse, status: number, body: Record<string, unknown>, headers: Record<string, string> = {}): void {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  reply(res.setHeader("connection", "close"), status, body);
}

const SIGNATURE = /^sha256=[0-9a-f]{64}$/;
/** Seconds a refused sender is asked to wait: bodies are held for a second or so, 30 s at most. */
const RETRY_AFTER_SECONDS = 5;

/**
 * POST /webhooks: the headers first (401 without a well-formed signature, 400 without event and
 * delivery headers; no byte of the body is read for these), size limit (413) and body memory
 * budget (503 with Retry-After), signature (401, checked on the raw body before anything else
 * looks at it), JSON (400), de-duplication by X-GitHub-Delivery and payload identity (200
 * "duplicate"), then 202 at once; the handling runs afterwards, so the answer takes milliseconds
 * whatever the work.
 */
export function createWebhookServer(options: WebhookServerOptions): WebhookServer {
  const onError = options.onError ?? (() => undefined);
  const budget = createBodyBudget(options.bodyBudgetBytes ?? 2 * options.maxBodyBytes);

  async function acceptWebhook(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const arrived = performance.now();
    const signature = String(req.headers["x-hub-signature-256"] ?? "");
    if (!SIGNATURE.test(signature)) {
      refuse(res, 401, { error: "missing or invalid X-Hub-Signature-256" });
      return;
    }
    const event = String(req.headers["x-github-event"] ?? "");
    const id = String(req.headers["x-github-delivery"] ?? "");
    if (!event || !id) {
      refuse(res, 400, { error: "missing X-GitHub-Event or X-GitHub-Delivery header" });
      return;
    }
    if (!EVENT_NAME.test(event) || !DELIVERY_ID.test(id)) {
      refuse(res, 400, { error: "X-GitHub-Event must be an event name and X-GitHub-Delivery 1–200 printable ASCII characters" });
      return;
    }
    const tooLarge = { error: `payload larger than ${options.maxBodyBytes} bytes` };
    const busy = { error: "too many webhook bodies are being received at once; try again shortly" };
    const retry = { "retry-after": String(RETRY_AFTER_SECONDS) };
    const declared = Number(req.headers["content-length"] ?? "0");
    if (declared > options.maxBodyBytes) {
      refuse(res, 413, tooLarge);
      return;
    }
    // Not taken yet (a declared length costs the sender nothing), but reading a body that cannot fit is wasted.
    if (declared > budget.free()) {
      refuse(res, 503, busy, retry);
      return;
    }
    // The body is held until the answer: verified or not, parsed, de-duplicated.
    const lease = budget.lease();
    res.once("close", () => lease.release());
    try {
      const check = options.verifier.begin(signature);
      let chunks: Buffer[];
      try {
        chunks = await readBody(req, options.maxBodyBytes, lease, check);
      } catch (err) {
        const reason = err instanceof BodyNotRead ? err.reason : "failed";
        if (reason === "too-large") refuse(res, 413, tooLarge);
        else if (reason === "over-budget") refuse(res, 503, busy, retry);
        else if (reason === "failed") refuse(res, 400, { error: "could not read the request body" });
        return;
      }
      if (!check.matches()) {
        reply(res, 401, { error: "missing or invalid X-Hub-Signature-256" });
        return;
      }
      // Decoded only once verified: a forged body never costs a second copy.
      const raw = Buffer.concat(chunks).toString("utf8");
      chunks = [];
      let payload: unknown;
      try {
        payload = JSON.parse(raw);
      } catch {
        reply(res, 400, { error: "body is not valid JSON" });
        return;
      }
      if (typeof payload !== "object" || payload === null) {
        reply(res, 400, { error: "body is not a JSON object" });
        return;
      }
      const delivery: Delivery = { id, event, payload };
      if ((await options.record(delivery, raw)) === "duplicate") {
        reply(res, 200, { status: "duplicate", delivery: id });
        return;
      }
      reply(res, 202, { status: "accepted", delivery: id });
      const ackSeconds = (performance.now() - arrived) / 1000;
      setImmediate(() => {
        options.dispatch(delivery, ackSeconds, raw).catch((err: unknown) => onError(err, delivery));
      });
    } finally {
      lease.release();
    }
  }

  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    const handled = (async () => {
      if (path === "/webhooks") {
        if (req.method !== "POST") reply(res.setHeader("allow", "POST"), 405, { error: "use POST" });
        else await acceptWebhook(req, res);
        return;
      }
      if (options.routes && (await options.routes(req, res))) return;
      reply(res, 404, { error: "not found" });
    })();
    handled.catch((err: unknown) => {
      onError(err);
      if (!res.headersSent) reply(res, 500, { error: "internal error" });
    });
  });
  // Slow or idle clients must not pile up connections.
  server.requestTimeout = 30_000;
  server.headersTimeout = 15_000;

  return {
    server,
    bodyBytesHeld: () => budget.held(),
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
          const addr = server.address() as AddressInfo;
          resolve(`http://${addr.family === "IPv6" ? `[${addr.address}]` : addr.address}:${addr.port}`);
        });
      });
    },
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
    },
  };
}
