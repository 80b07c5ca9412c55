import { randomUUID } from "node:crypto";
import type { Logger } from "../../app/ports/logger.js";
import type { Notifier } from "../../app/ports/notifier.js";
import type { NotificationEvent, NotificationEventName } from "../../domain/notifications/notification-event.js";
import { notificationPayload, type NotificationFormat } from "../../domain/notifications/notification-payload.js";
import { parseRetryAfter, retryDelayMs } from "./retry-delay.js";
import { signBody } from "./sign-body.js";

export interface WebhookNotifierOptions {
  /** May hold a token (Slack's do): only its origin is ever logged. */
  readonly url: string;
  readonly format: NotificationFormat;
  readonly secret: string;
  /** The events sent; null: all. */
  readonly events: ReadonlySet<NotificationEventName> | null;
  readonly log: Logger;
  readonly maxAttempts?: number;
  /** Notifications waiting at most; one more is dropped (logged), so a dead receiver cannot grow memory. */
  readonly queueLimit?: number;
  readonly attemptTimeoutMs?: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly fetch?: typeof fetch;
  readonly random?: () => number;
  readonly now?: () => number;
  readonly newId?: () => string;
}

export interface WebhookNotifier extends Notifier {
  /** Takes no more; waits up to `waitMs` for the queue, then cuts short and logs what is left. */
  close(waitMs: number): Promise<void>;
}

interface Pending {
  readonly event: NotificationEventName;
  readonly id: string;
  readonly body: string;
}

/** One attempt's result: the reason is safe to log (never the URL's path or query). */
type Attempt =
  | { readonly kind: "delivered"; readonly status: number }
  | { readonly kind: "rejected"; readonly status: number }
  | { readonly kind: "retry"; readonly reason: string; readonly retryAfterMs: number | null };

/**
 * Posts each notification to one URL, signed, in order, one at a time: the volume is a few per
 * apply, and order keeps "failed" before a later "succeeded" for the same project.
 */
export function createWebhookNotifier(o: WebhookNotifierOptions): WebhookNotifier {
  const maxAttempts = o.maxAttempts ?? 5;
  const queueLimit = o.queueLimit ?? 100;
  const attemptTimeoutMs = o.attemptTimeoutMs ?? 10_000;
  const baseDelayMs = o.baseDelayMs ?? 1000;
  const maxDelayMs = o.maxDelayMs ?? 60_000;
  const doFetch = o.fetch ?? fetch;
  const random = o.random ?? Math.random;
  const now = o.now ?? Date.now;
  const newId = o.newId ?? randomUUID;
  const target = new URL(o.url).origin;
  const queue: Pending[] = [];
  const stopping = new AbortController();
  let closed = false;
  let worker: Promise<void> | null = null;

  const giveUp = (p: Pending, attempts: number, reason: string) =>
    o.log.error({ notification: { event: p.event, delivery: p.id, target, attempts, reason } }, "notification given up");

  const attempt = async (p: Pending): Promise<Attempt> => {
    try {
      const response = await doFetch(o.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "user-agent": "tfgate",
          "x-tfgate-event": p.event,
          "x-tfgate-delivery": p.id,
          "x-tfgate-signature-256": signBody(o.secret, p.body),
        },
        body: p.body,
        redirect: "manual",
        signal: AbortSignal.any([AbortSignal.timeout(attemptTimeoutMs), stopping.signal]),
      });
      // The body is not read, but must be released, or the connection stays taken.
      await response.body?.cancel().catch(() => undefined);
      if (response.status >= 200 && response.status < 300) return { kind: "delivered", status: response.status };
      if (response.status === 429 || response.status >= 500) {
        return { kind: "retry", reason: `HTTP ${response.status}`, retryAfterMs: parseRetryAfter(response.headers.get("retry-after"), now()) };
      }
      return { kind: "rejected", status: response.status };
    } catch (err) {
      const name = err instanceof Error ? err.name : "Error";
      const code = (err as { cause?: { code?: unknown } }).cause?.code;
      // Not err.message: undici's may quote the request; a name and an errno code say enough.
      return { kind: "retry", reason: name === "TimeoutError" ? `no answer within ${attemptTimeoutMs} ms` : `network error (${typeof code === "string" ? code : name})`, retryAfterMs: null };
    }
  };

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (stopping.signal.aborted) return resolve();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        stopping.signal.removeEventListener("abort", done);
        resolve();
      }
      stopping.signal.addEventListener("abort", done);
    });

  const deliver = async (p: Pending): Promise<void> => {
    for (let n = 1; ; n++) {
      const result = await attempt(p);
      if (result.kind === "delivered") return;
      if (result.kind === "rejected") return giveUp(p, n, `HTTP ${result.status} (not retried: the receiver refused it)`);
      if (stopping.signal.aborted) return giveUp(p, n, `${result.reason}; the server is stopping`);
      if (n >= maxAttempts) return giveUp(p, n, result.reason);
      o.log.warn({ notification: { event: p.event, delivery: p.id, target, attempt: n, reason: result.reason } }, "notification attempt failed; retrying");
      await sleep(retryDelayMs({ attempt: n, baseMs: baseDelayMs, maxMs: maxDelayMs, retryAfterMs: result.retryAfterMs, random }));
      // A stop that ended the wait: no attempt after it (it would only fail as "aborted").
      if (stopping.signal.aborted) return giveUp(p, n, `${result.reason}; the server stopped before attempt ${n + 1}`);
    }
  };

  const drain = async () => {
    for (let p = queue.shift(); p; p = queue.shift()) {
      if (stopping.signal.aborted) giveUp(p, 0, "the server stopped before it was sent");
      else await deliver(p);
    }
    worker = null;
  };

  return {
    notify(event: NotificationEvent) {
      if (o.events && !o.events.has(event.event)) return;
      const p: Pending = { event: event.event, id: newId(), body: JSON.stringify(notificationPayload(event, o.format, new Date(now()).toISOString())) };
      if (closed) return giveUp(p, 0, "the server is stopping");
      if (queue.length >= queueLimit) return giveUp(p, 0, `the queue is full (${queueLimit} waiting)`);
      queue.push(p);
      // Started on a later tick: the caller's own work goes on first.
      worker ??= new Promise<void>((r) => setImmediate(r)).then(drain);
    },
    async close(waitMs) {
      closed = true;
      const current = worker;
      if (current) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([current, new Promise((r) => (timer = setTimeout(r, waitMs)))]);
        clearTimeout(timer);
      }
      stopping.abort();
      await worker;
    },
  };
}
