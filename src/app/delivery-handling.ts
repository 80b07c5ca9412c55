import type { WebhookDelivery } from "./events/webhook-event.js";
import type { DeliveryLog, DeliveryOutcome, PendingDelivery } from "./ports/deliveries.js";
import type { Logger } from "./ports/logger.js";

/**
 * A delivery that crashed the server each time it was resumed is given up after this many
 * restarts: one poisonous payload must not keep a server in a crash loop.
 */
export const MAX_DELIVERY_RESUMES = 3;

export interface DeliveryHandlingDeps {
  readonly deliveries: DeliveryLog;
  readonly log: Logger;
  /** The work itself (the event registry). */
  readonly dispatch: (delivery: WebhookDelivery) => Promise<void>;
  /**
   * True once the server stopped and cancelled its jobs: a delivery whose handling ends then was
   * cut short, so it stays pending and the next start handles it again.
   */
  readonly interrupted: () => boolean;
  readonly maxResumes?: number;
}

export interface DeliveryHandling {
  /** Handles an accepted delivery (recorded as pending by the webhook endpoint) and ends its pending life. */
  handle(delivery: WebhookDelivery): Promise<void>;
  /**
   * Handles again what a previous process accepted and never finished, oldest first. Pass the list
   * read before this process began taking webhooks, so nothing is handled twice; returns how many
   * were started (their handling runs on).
   */
  resume(pending: readonly PendingDelivery[]): Promise<number>;
  /** Resolves once every handling started so far has ended: a graceful stop waits for it. */
  idle(): Promise<void>;
}

export function createDeliveryHandling(deps: DeliveryHandlingDeps): DeliveryHandling {
  const maxResumes = deps.maxResumes ?? MAX_DELIVERY_RESUMES;
  const end = async (d: Pick<WebhookDelivery, "id" | "event">, outcome: DeliveryOutcome) => {
    if (deps.interrupted()) return;
    await deps.deliveries.finish(d.id, outcome).catch((err: unknown) => {
      // Worst case it is handled once more after a restart; handling is safe to repeat.
      deps.log.error({ err, delivery: d.id, event: d.event }, "could not record that a delivery was handled");
    });
  };
  const running = new Set<Promise<void>>();
  const handle = (d: WebhookDelivery) => {
    const run = (async () => {
      let outcome: DeliveryOutcome = "failed";
      try {
        await deps.dispatch(d);
        outcome = "handled";
      } finally {
        await end(d, outcome);
      }
    })();
    const tracked = run.catch(() => undefined).finally(() => running.delete(tracked));
    running.add(tracked);
    return run;
  };
  return {
    handle,
    async resume(pending) {
      let started = 0;
      // One pull request's deliveries run again in the order they arrived, each after the one
      // before it: a `/apply` that came after the event that planned must see that plan done, not
      // race its re-run (which would make the plan it checks "newer" under it).
      const lines = new Map<string, Promise<unknown>>();
      for (const p of pending) {
        const fields = { delivery: p.id, event: p.event, receivedAt: new Date(p.receivedAt).toISOString() };
        const resumes = await deps.deliveries.resumed(p.id);
        if (resumes === 0) continue; // finished meanwhile
        if (resumes > maxResumes) {
          deps.log.error({ ...fields, resumes: resumes - 1 }, `gave up a delivery that ${maxResumes} restarts in a row did not finish handling`);
          await end(p, "abandoned");
          continue;
        }
        let payload: unknown;
        try {
          payload = JSON.parse(p.body);
        } catch {
          deps.log.error(fields, "a pending delivery's recorded body is not JSON; dropped");
          await end(p, "failed");
          continue;
        }
        deps.log.info({ ...fields, resume: resumes }, "handling a delivery the previous stop left unfinished");
        started++;
        const key = orderKey(payload) ?? p.id;
        const next = (lines.get(key) ?? Promise.resolve())
          .then(() => handle({ id: p.id, event: p.event, payload }))
          .catch((err: unknown) => deps.log.error({ err, ...fields }, "webhook handling failed"));
        lines.set(key, next);
        // Waited for by idle() from now on, though it may not have started yet.
        const tracked = next.finally(() => running.delete(tracked));
        running.add(tracked);
      }
      return started;
    },
    async idle() {
      while (running.size > 0) await Promise.all(running);
    },
  };
}

/** The pull request (or issue) a delivery is about, as `owner/name#number`; null for others. */
function orderKey(payload: unknown): string | null {
  const p = payload as { repository?: { full_name?: unknown }; pull_request?: { number?: unknown }; issue?: { number?: unknown } } | null;
  const repo = p?.repository?.full_name;
  const number = p?.pull_request?.number ?? p?.issue?.number;
  return typeof repo === "string" && typeof number === "number" ? `${repo}#${number}` : null;
}
