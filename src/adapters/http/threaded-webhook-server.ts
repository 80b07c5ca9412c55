import { Worker } from "node:worker_threads";
import type { Delivery } from "./webhook-server.js";
import type { MainToWorker, WorkerData, WorkerToMain } from "./webhook-worker-protocol.js";

export interface ThreadedWebhookServer {
  readonly url: string;
  /** What GET /healthz answers; the main thread updates it. */
  setHealth(status: number, body: unknown): void;
  close(): Promise<void>;
}

export interface ThreadedWebhookOptions extends WorkerData {
  readonly dispatch: (delivery: Delivery, ackSeconds: number) => Promise<void>;
  readonly onError: (message: string, delivery?: Delivery) => void;
}

/**
 * Starts the webhook endpoint in its own thread (see webhook-worker.ts) and hands accepted
 * deliveries to `dispatch` on this thread. A worker that dies (a bug) is replaced on the same
 * port: a server that silently stopped taking webhooks would be worse than a logged restart.
 */
export async function startThreadedWebhookServer(options: ThreadedWebhookOptions): Promise<ThreadedWebhookServer> {
  const { dispatch, onError, ...data } = options;
  let closing = false;
  let health: MainToWorker = { type: "health", status: 200, body: `{"status":"starting"}\n` };
  let onClosed: (() => void) | null = null;

  const start = (workerData: WorkerData): Promise<{ worker: Worker; url: string }> =>
    new Promise((resolve, reject) => {
      const worker = new Worker(new URL("./webhook-worker.js", import.meta.url), { workerData });
      let listening = false;
      worker.on("message", (m: WorkerToMain) => {
        switch (m.type) {
          case "listening":
            listening = true;
            worker.postMessage(health);
            resolve({ worker, url: m.url });
            break;
          case "delivery":
            dispatch(m.delivery, m.ackSeconds).catch((err: unknown) => onError(err instanceof Error ? err.message : String(err), m.delivery));
            break;
          case "error":
            if (m.fatal && !listening) reject(new Error(m.message));
            else onError(m.message);
            break;
          case "closed":
            void worker.terminate().then(() => onClosed?.());
            break;
        }
      });
      worker.on("error", (err) => {
        onError(`webhook worker failed: ${err.message}`);
        if (!listening) reject(err);
      });
      worker.on("exit", (code) => {
        if (closing || !listening) return;
        onError(`webhook worker exited (${code}); starting a new one`);
        // The first worker may have listened on port 0: the new one takes the same port.
        const port = Number(new URL(current.url).port);
        start({ ...workerData, port }).then(
          (next) => (current = next),
          (err: unknown) => onError(`could not restart the webhook worker: ${(err as Error).message}`),
        );
      });
    });

  let current = await start(data);
  return {
    url: current.url,
    setHealth(status, body) {
      health = { type: "health", status, body: `${JSON.stringify(body)}\n` };
      current.worker.postMessage(health);
    },
    close() {
      closing = true;
      return new Promise<void>((done) => {
        onClosed = done;
        current.worker.postMessage({ type: "close" } satisfies MainToWorker);
      });
    },
  };
}
