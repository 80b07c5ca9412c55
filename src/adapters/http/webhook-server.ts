import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { DELIVERY_ID, EVENT_NAME } from "../../domain/webhook-headers.js";
import type { WebhookVerifier } from "../github/webhook-verifier.js";

export interface Delivery {
  readonly id: string;
  readonly event: string;
  readonly payload: unknown;
}

export interface WebhookServerOptions {
  readonly verifier: WebhookVerifier;
  /** "duplicate" when GitHub redelivers a delivery id already accepted. */
  readonly record: (delivery: Delivery) => Promise<"new" | "duplicate">;
  /**
   * The work itself, started after the answer is sent (GitHub gives up after 10 s).
   * `ackSeconds`: from the request's arrival to the 202, for metrics. `rawBody` is the verified
   * body as received (a string crosses to another process far more cheaply than the parsed object).
   */
  readonly dispatch: (delivery: Delivery, ackSeconds: number, rawBody: string) => Promise<void>;
  readonly maxBodyBytes: number;
  readonly onError?: (err: unknown, delivery?: Delivery) => void;
  /** Extra routes (health, metrics, UI) tried after /webhooks; return false when not handled. */
  readonly routes?: (req: IncomingMessage, res: ServerResponse) => Promise<boolean> | boolean;
}

export interface WebhookServer {
  readonly server: Server;
  listen(port: number, host: string): Promise<string>;
  close(): Promise<void>;
}

class TooLarge extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"] ?? "0");
    if (declared > limit) {
      reject(new TooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new TooLarge());
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function reply(res: ServerResponse, status: number, body: Record<string, unknown>): void {
  res.writeHead(status, { "content-type": "application/json" }).end(`${JSON.stringify(body)}\n`);
}

/**
 * POST /webhooks: size limit (413), signature (401, checked on the raw body before anything else
 * looks at it), JSON (400), de-duplication by X-GitHub-Delivery (200 "duplicate"), then 202 at
 * once; the handling runs afterwards, so the answer takes milliseconds whatever the work.
 */
export function createWebhookServer(options: WebhookServerOptions): WebhookServer {
  const onError = options.onError ?? (() => undefined);

  async function handleWebhook(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const arrived = performance.now();
    let raw: string;
    try {
      raw = await readBody(req, options.maxBodyBytes);
    } catch (err) {
      if (err instanceof TooLarge) reply(res.setHeader("connection", "close"), 413, { error: `payload larger than ${options.maxBodyBytes} bytes` });
      else reply(res, 400, { error: "could not read the request body" });
      return;
    }
    const signature = String(req.headers["x-hub-signature-256"] ?? "");
    if (!signature || !(await options.verifier.verify(raw, signature))) {
      reply(res, 401, { error: "missing or invalid X-Hub-Signature-256" });
      return;
    }
    const event = String(req.headers["x-github-event"] ?? "");
    const id = String(req.headers["x-github-delivery"] ?? "");
    if (!event || !id) {
      reply(res, 400, { error: "missing X-GitHub-Event or X-GitHub-Delivery header" });
      return;
    }
    if (!EVENT_NAME.test(event) || !DELIVERY_ID.test(id)) {
      reply(res, 400, { error: "X-GitHub-Event must be an event name and X-GitHub-Delivery 1–200 printable ASCII characters" });
      return;
    }
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
    if ((await options.record(delivery)) === "duplicate") {
      reply(res, 200, { status: "duplicate", delivery: id });
      return;
    }
    reply(res, 202, { status: "accepted", delivery: id });
    const ackSeconds = (performance.now() - arrived) / 1000;
    setImmediate(() => {
      options.dispatch(delivery, ackSeconds, raw).catch((err: unknown) => onError(err, delivery));
    });
  }

  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    const handled = (async () => {
      if (path === "/webhooks") {
        if (req.method !== "POST") reply(res.setHeader("allow", "POST"), 405, { error: "use POST" });
        else await handleWebhook(req, res);
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
