import type { DeliveryLog } from "../../app/ports/deliveries.js";
import { deliveryIdentity } from "../../domain/delivery-identity.js";
import { createRecentIds } from "./recent-ids.js";
import type { Delivery } from "./webhook-server.js";

export interface DeliveryDedupeOptions {
  /** The durable record, read only: the main process writes it before handling a delivery. */
  readonly seen: DeliveryLog["seen"];
  /** How many ids and identities this process remembers itself. */
  readonly capacity: number;
}

/**
 * Decides the webhook answer: "duplicate" for a delivery id or a payload identity seen before
 * (a redelivery, or a captured delivery replayed under a new id), else "new". Ids and identities
 * this process accepted come first, then the store (a WAL read never waits for a writer). Both
 * are taken before the first await, so two copies arriving together cannot both pass. When the
 * lookup fails the request is answered 500 and both are forgotten again: GitHub's redelivery of
 * a delivery that was refused must get through.
 */
export function createDeliveryDedupe(options: DeliveryDedupeOptions): (delivery: Delivery) => Promise<"new" | "duplicate"> {
  const recent = createRecentIds(options.capacity);
  return async (d) => {
    // Delivery ids are not covered by the signature: prefixes keep a chosen id from ever
    // matching an identity.
    const id = `id:${d.id}`;
    if (!recent.add(id)) return "duplicate";
    const identity = deliveryIdentity(d.event, d.payload);
    const key = identity ? `identity:${identity.key}` : null;
    // The id stays known: whatever it carried, it is a duplicate too.
    if (key !== null && !recent.add(key)) return "duplicate";
    try {
      return (await options.seen(d.id, identity)) ? "duplicate" : "new";
    } catch (err) {
      recent.delete(id);
      if (key !== null) recent.delete(key);
      throw err;
    }
  };
}
