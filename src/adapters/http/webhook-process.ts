/**
 * The webhook endpoint's own process (body memory, signature, size limit, JSON, de-duplication, 202).
 * Not a thread of the main process: the main process starts tofu and git all the time, and each
 * start forks it; while the kernel copies a big process's page tables, every thread of that
 * process that touches memory waits, which held webhook answers for hundreds of milliseconds.
 * This process is small and starts nothing. Each accepted delivery is recorded in the store with its
 * body before the 202 (so a crash of either process loses none), then goes to the main process
 * over IPC.
 */
import { openStore } from "../store/open-store.js";
import { createWebhookVerifier } from "../github/webhook-verifier.js";
import { forwardRequest } from "./forward-request.js";
import { createDeliveryDedupe } from "./delivery-dedupe.js";
import { createWebhookServer, type WebhookServer } from "./webhook-server.js";
import type { MainToWebhook, WebhookProcessData, WebhookToMain } from "./webhook-process-protocol.js";

if (!process.send) throw new Error("webhook-process must be started with an IPC channel");
const send = (m: WebhookToMain) => process.send?.(m);

let health = { status: 200, body: `{"status":"starting"}\n` };
let running: { server: WebhookServer; close: () => void } | null = null;

function start(data: WebhookProcessData): void {
  const store = openStore(data.storeLocation);
  const server = createWebhookServer({
    verifier: createWebhookVerifier(data.secret),
    maxBodyBytes: data.maxBodyBytes,
    bodyBudgetBytes: data.bodyBudgetBytes,
    // One insert decides new or duplicate, atomically across processes. With WAL and
    // synchronous=NORMAL it is a page write, no fsync: it survives kill -9 of either process.
    record: createDeliveryDedupe({
      record: (d, identity, body) => store.deliveries.record(d.id, d.event, identity, body),
      capacity: 100_000,
    }),
    dispatch: async (delivery, ackSeconds, body) => void send({ type: "delivery", id: delivery.id, event: delivery.event, body, ackSeconds }),
    onError: (err) => send({ type: "error", message: err instanceof Error ? err.message : String(err) }),
    routes: (req, res) => {
      if (req.url === "/healthz" && req.method === "GET") {
        res.writeHead(health.status, { "content-type": "application/json" }).end(health.body);
        return true;
      }
      if (data.webPort === undefined) return false;
      forwardRequest(req, res, data.webPort);
      return true;
    },
  });
  running = { server, close: () => store.close() };
  server.listen(data.port, data.host).then(
    (url) => send({ type: "listening", url }),
    (err: unknown) => {
      send({ type: "error", message: `cannot listen on ${data.host}:${data.port}: ${(err as Error).message}`, fatal: true });
      process.exitCode = 1;
      process.disconnect?.();
    },
  );
}

process.on("message", (m: MainToWebhook) => {
  if (m.type === "start" && running === null) start(m.data);
  if (m.type === "health") health = { status: m.status, body: m.body };
  if (m.type === "close") {
    const r = running;
    void (r ? r.server.close() : Promise.resolve()).then(() => {
      r?.close();
      send({ type: "closed" });
      process.disconnect?.();
    });
  }
});
// The main process is gone (crashed or killed): nobody would handle what this one accepts.
process.on("disconnect", () => process.exit(process.exitCode ?? 0));
