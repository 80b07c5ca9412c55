import type { StoreLocation } from "../store/open-store.js";

/** What the main process gives the webhook process, over IPC (never argv or the environment). */
export interface WebhookProcessData {
  readonly secret: string;
  readonly maxBodyBytes: number;
  /** Bytes of webhook bodies held at once, across requests (default: twice `maxBodyBytes`). */
  readonly bodyBudgetBytes?: number;
  /** The store the webhook process records accepted deliveries in, before it answers 202. */
  readonly storeLocation: StoreLocation;
  readonly host: string;
  readonly port: number;
  /** The main process's web server (UI, /metrics) on 127.0.0.1; other paths are forwarded there. */
  readonly webPort?: number;
}

export type WebhookToMain =
  | { readonly type: "listening"; readonly url: string }
  /** An accepted delivery: its verified body as received, parsed again by the main process. */
  | { readonly type: "delivery"; readonly id: string; readonly event: string; readonly body: string; readonly ackSeconds: number }
  | { readonly type: "error"; readonly message: string; readonly fatal?: boolean }
  | { readonly type: "closed" };

export type MainToWebhook =
  | { readonly type: "start"; readonly data: WebhookProcessData }
  | { readonly type: "health"; readonly status: number; readonly body: string }
  | { readonly type: "close" };
