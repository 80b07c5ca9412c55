import { Worker } from "node:worker_threads";
import type { Delivery } from "./webhook-server.js";
import type { MainToWorker, WorkerData, WorkerToMain } from "./webhook-worker-protocol.js";

export interface ThreadedWebhookServer {
  readonly url: string;
  /** What GET /healthz answers; the main thread updates it. */
  setHealth(status: number, body: unknown): void;
  close(): Promise<void>;
}

/**
 * Starts the webhook endpoint in its own thread (see webhook-worker.ts) and hands accepted
 * deliveries to `dispatch` on this thread.
 */
export function startThreadedWebhookServer(options: WorkerData & {
  readonly dispatch: (delivery: Delivery) => Promise<void>;
  readonly onError: (message: string, delivery?: Delivery) => void;
}): Promise<ThreadedWebhookServer> {
  const { dispatch, onError, ...data } = options;
  const worker = new Worker(new URL("./webhook-worker.js", import.meta.url), { workerData: data satisfies WorkerData });
  const post = (m: MainToWorker) => worker.postMessage(m);
  return new Promise((resolve, reject) => {
    let closed: (() => void) | null = null;
    worker.on("message", (m: WorkerToMain) => {
      switch (m.type) {
        case "listening":
          resolve({
            url: m.url,
            setHealth: (status, body) => post({ type: "health", status, body: `${JSON.stringify(body)}\n` }),
            close: () =>
              new Promise<void>((done) => {
                closed = done;
                post({ type: "close" });
              }),
          });
          break;
        case "delivery":
          dispatch(m.delivery).catch((err: unknown) => onError(err instanceof Error ? err.message : String(err), m.delivery));
          break;
        case "error":
          if (m.fatal) reject(new Error(m.message));
          else onError(m.message);
          break;
        case "closed":
          void worker.terminate().then(() => closed?.());
          break;
      }
    });
    worker.on("error", (err) => {
      onError(`webhook worker failed: ${err.message}`);
      reject(err);
    });
  });
}
