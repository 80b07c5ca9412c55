import { StoreError } from "../../app/ports/store-error.js";
import type { DeliveryLog, DeliveryOutcome, PendingDelivery } from "../../app/ports/deliveries.js";
import { IDENTITY_KEY, type DeliveryIdentity } from "../../domain/delivery-identity.js";
import { DELIVERY_ID, EVENT_NAME } from "../../domain/webhook-headers.js";
import { guard, immediate, type StoreContext } from "./store-context.js";

export interface DeliveryOptions {
  /** How long a delivery id is remembered; GitHub redeliveries come within days. */
  readonly retentionMs: number;
  /** Old rows are pruned at most this often, on the write path, so no timer is needed. */
  readonly pruneEveryMs: number;
}

const HOUR_MS = 3600 * 1000;
const OUTCOMES: ReadonlySet<DeliveryOutcome> = new Set(["handled", "failed", "abandoned"]);

function checkIdentity(identity: DeliveryIdentity | null | undefined): DeliveryIdentity | null {
  if (identity === undefined || identity === null) return null;
  if (typeof identity !== "object" || typeof identity.key !== "string" || !IDENTITY_KEY.test(identity.key)) {
    throw new StoreError("invalid-input", "identity.key must be 1–500 printable ASCII characters");
  }
  if (identity.at !== null && !Number.isFinite(identity.at)) throw new StoreError("invalid-input", "identity.at must be a time in milliseconds or null");
  return identity;
}

/**
 * Remembers webhook deliveries, by id and by payload identity, so a redelivered or replayed one
 * runs once.
 */
export function createDeliveryRepository(ctx: StoreContext, options: DeliveryOptions): DeliveryLog {
  // No conflict target: a row that repeats the id or the identity is ignored alike.
  const insert = ctx.db.prepare<[string, string, string | null, number, string | null]>(
    "INSERT INTO deliveries (id, event, identity, received_at, body) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
  );
  const pending = ctx.db.prepare<[], { id: string; event: string; body: string; receivedAt: number; resumes: number }>(
    "SELECT id, event, body, received_at AS receivedAt, resumes FROM deliveries WHERE body IS NOT NULL ORDER BY received_at, rowid",
  );
  const countResume = ctx.db.prepare<[string]>("UPDATE deliveries SET resumes = resumes + 1 WHERE id = ? AND body IS NOT NULL RETURNING resumes").pluck();
  const finish = ctx.db.prepare<[number, string, string]>("UPDATE deliveries SET body = NULL, finished_at = ?, outcome = ? WHERE id = ?");
  const prune = ctx.db.prepare<[number]>("DELETE FROM deliveries WHERE received_at < ?");
  const select = ctx.db.prepare<[string, string | null]>("SELECT 1 FROM deliveries WHERE id = ? OR identity = ?").pluck();
  // Per store instance, not per module: two stores in one process prune independently.
  let lastPrunedAt = Number.NEGATIVE_INFINITY;
  // GitHub's clock and ours may disagree: an event is trusted to be remembered only if it is
  // younger than the retention by this margin.
  const skewMs = Math.min(HOUR_MS, Math.floor(options.retentionMs / 2));
  /** An event older than what this log still remembers may have been recorded and pruned. */
  const forgotten = (identity: DeliveryIdentity | null): boolean =>
    identity !== null && identity.at !== null && identity.at < ctx.now() - options.retentionMs + skewMs;

  return {
    record: (deliveryId, event, identity, body) =>
      guard("recording a delivery", () => {
        if (typeof deliveryId !== "string" || !DELIVERY_ID.test(deliveryId)) {
          throw new StoreError("invalid-input", "deliveryId must be 1–200 printable ASCII characters");
        }
        if (typeof event !== "string" || !EVENT_NAME.test(event)) {
          throw new StoreError("invalid-input", "event must be a GitHub event name such as pull_request");
        }
        if (body !== undefined && typeof body !== "string") throw new StoreError("invalid-input", "body must be a string");
        const checked = checkIdentity(identity);
        if (forgotten(checked)) return "duplicate";
        const now = ctx.now();
        // One statement decides: the primary key and the unique identity index make
        // insert-or-ignore atomic across processes.
        const inserted = insert.run(deliveryId, event, checked?.key ?? null, now, body ?? null).changes === 1;
        if (now - lastPrunedAt >= options.pruneEveryMs) {
          lastPrunedAt = now;
          try {
            immediate(ctx, () => prune.run(now - options.retentionMs));
          } catch {
            // Housekeeping only: the delivery is already recorded, and failing here would make
            // the caller retry and see its own delivery as a duplicate. The next prune catches up.
          }
        }
        return inserted ? "new" : "duplicate";
      }),
    seen: (deliveryId, identity) =>
      guard("looking up a delivery", () => {
        const checked = checkIdentity(identity);
        if (forgotten(checked)) return true;
        return typeof deliveryId === "string" && select.get(deliveryId, checked?.key ?? null) !== undefined;
      }),
    unfinished: () => guard("listing pending deliveries", (): PendingDelivery[] => pending.all()),
    resumed: (deliveryId) => guard("counting a resumed delivery", () => (countResume.get(deliveryId) as number | undefined) ?? 0),
    finish: (deliveryId, outcome) =>
      guard("finishing a delivery", () => {
        if (!OUTCOMES.has(outcome)) throw new StoreError("invalid-input", "outcome must be handled, failed or abandoned");
        finish.run(ctx.now(), outcome, deliveryId);
      }),
  };
}
