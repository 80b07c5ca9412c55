/**
 * Runs in a worker thread: the webhook endpoint (signature, size limit, JSON, de-duplication,
 * 202). Its event loop does nothing else, so the answer stays fast while the main thread starts
 * processes (a fork blocks the calling thread for tens of milliseconds), parses plan JSON and
 * renders comments. Accepted deliveries are posted to the main thread, which does the work.
 */
import { parentPort, workerData } from "node:worker_threads";
import { createSqliteStore } from "../store/sqlite-store.js";
import { createWebhookVerifier } from "../github/webhook-verifier.js";
import { forwardRequest } from "./forward-request.js";
import { createWebhookServer } from "./webhook-server.js";
import type { WorkerData, WorkerToMain, MainToWorker } from "./webhook-worker-protocol.js";

const data = workerData as WorkerData;
const port = parentPort;
if (!port) throw new Error("webhook-worker must run in a worker thread");

let health = { status: 200, body: `{"status":"starting"}\n` };
const send = (m: WorkerToMain) => port.postMessage(m);
const store = createSqliteStore({ path: data.dbPath });
const server = createWebhookServer({
  verifier: createWebhookVerifier(data.secret),
  maxBodyBytes: data.maxBodyBytes,
  record: (d) => store.deliveries.record(d.id, d.event),
  dispatch: async (delivery, ackSeconds) => send({ type: "delivery", delivery, ackSeconds }),
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

port.on("message", (m: MainToWorker) => {
  if (m.type === "health") health = { status: m.status, body: m.body };
  if (m.type === "close") {
    void server.close().then(() => {
      store.close();
      send({ type: "closed" });
    });
  }
});

server.listen(data.port, data.host).then(
  (url) => send({ type: "listening", url }),
  (err: unknown) => send({ type: "error", message: `cannot listen on ${data.host}:${data.port}: ${(err as Error).message}`, fatal: true }),
);
