import { StoreError, type DeliveryLog } from "../../app/store-ports.js";
import { DELIVERY_ID, EVENT_NAME } from "../../domain/webhook-headers.js";
import { guard, immediate, type StoreContext } from "./store-context.js";

export interface DeliveryOptions {
  /** How long a delivery id is remembered; GitHub redeliveries come within days. */
  readonly retentionMs: number;
  /** Old rows are pruned at most this often, on the write path, so no timer is needed. */
  readonly pruneEveryMs: number;
}


/** Remembers webhook deliveries so a redelivered one runs once. */
export function createDeliveryRepository(ctx: StoreContext, options: DeliveryOptions): DeliveryLog {
  const insert = ctx.db.prepare<[string, string, number]>(
    "INSERT INTO deliveries (id, event, received_at) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING",
  );
  const prune = ctx.db.prepare<[number]>("DELETE FROM deliveries WHERE received_at < ?");
  const select = ctx.db.prepare<[string]>("SELECT 1 FROM deliveries WHERE id = ?").pluck();
  // Per store instance, not per module: two stores in one process prune independently.
  let lastPrunedAt = Number.NEGATIVE_INFINITY;

  return {
    record: (deliveryId, event) =>
      guard("recording a delivery", () => {
        if (typeof deliveryId !== "string" || !DELIVERY_ID.test(deliveryId)) {
          throw new StoreError("invalid-input", "deliveryId must be 1–200 printable ASCII characters");
        }
        if (typeof event !== "string" || !EVENT_NAME.test(event)) {
          throw new StoreError("invalid-input", "event must be a GitHub event name such as pull_request");
        }
        const now = ctx.now();
        // One statement decides: the primary key makes insert-or-ignore atomic across processes.
        const inserted = insert.run(deliveryId, event, now).changes === 1;
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
    seen: (deliveryId) =>
      guard("looking up a delivery", () => typeof deliveryId === "string" && select.get(deliveryId) !== undefined),
  };
}
