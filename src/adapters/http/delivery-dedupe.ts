import type { DeliveryLog } from "../../app/ports/deliveries.js";
import { deliveryIdentity, type DeliveryIdentity } from "../../domain/delivery-identity.js";
import { createRecentIds } from "./recent-ids.js";
import type { Delivery } from "./webhook-server.js";

export interface DeliveryDedupeOptions {
  /** Records a delivery durably with its raw body; "duplicate" when its id or identity was recorded. */
  readonly record: (delivery: Delivery, identity: DeliveryIdentity | null, body: string) => ReturnType<DeliveryLog["record"]>;
  /** How many ids and identities this process remembers itself. */
  readonly capacity: number;
}

/**
 * Decides the webhook answer: "duplicate" for a delivery id or a payload identity seen before
 * (a redelivery, or a captured delivery replayed under a new id), else "new". Ids and identities
 * this process accepted come first (taken before the first await, so two copies arriving together
 * cannot both pass), then the store's atomic insert, which also keeps the body until the delivery
 * is handled. When the insert fails the request is answered 500 and both are forgotten again:
 * GitHub's redelivery of a delivery that was refused must get through.
 */
export function createDeliveryDedupe(options: DeliveryDedupeOptions): (delivery: Delivery, body: string) => Promise<"new" | "duplicate"> {
  const recent = createRecentIds(options.capacity);
  return async (d, body) => {
    // Delivery ids are not covered by the signature: prefixes keep a chosen id from ever
    // matching an identity.
    const id = `id:${d.id}`;
    if (!recent.add(id)) return "duplicate";
    const identity = deliveryIdentity(d.event, d.payload);
    const key = identity ? `identity:${identity.key}` : null;
    // The id stays known: whatever it carried, it is a duplicate too.
    if (key !== null && !recent.add(key)) return "duplicate";
    try {
      return await options.record(d, identity, body);
    } catch (err) {
      recent.delete(id);
      if (key !== null) recent.delete(key);
      throw err;
    }
  };
}
