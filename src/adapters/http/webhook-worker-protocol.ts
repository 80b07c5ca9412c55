import type { Delivery } from "./webhook-server.js";

/** What the main thread gives the webhook worker. */
export interface WorkerData {
  readonly secret: string;
  readonly maxBodyBytes: number;
  readonly dbPath: string;
  readonly host: string;
  readonly port: number;
  /** The main thread's web server (UI, /metrics) on 127.0.0.1; other paths are forwarded there. */
  readonly webPort?: number;
}

export type WorkerToMain =
  | { readonly type: "listening"; readonly url: string }
  | { readonly type: "delivery"; readonly delivery: Delivery; readonly ackSeconds: number }
  | { readonly type: "error"; readonly message: string; readonly fatal?: boolean }
  | { readonly type: "closed" };

export type MainToWorker = { readonly type: "health"; readonly status: number; readonly body: string } | { readonly type: "close" };
