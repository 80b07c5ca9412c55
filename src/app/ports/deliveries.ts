import type { DeliveryIdentity } from "../../domain/delivery-identity.js";

/**
 * Deliveries seen, by `X-GitHub-Delivery` id and by the payload's own identity (a replay of a
 * captured delivery under a new id has the same identity). An identity whose event time is older
 * than what the log still remembers counts as seen: it cannot be shown to be new.
 */
export interface DeliveryLog {
  /** Remembers a delivery; "duplicate" when its id or its identity was seen before (atomic). */
  record(deliveryId: string, event: string, identity?: DeliveryIdentity | null): Promise<"new" | "duplicate">;
  /** Whether the id or the identity was recorded (a read: in WAL mode it never waits for a writer). */
  seen(deliveryId: string, identity?: DeliveryIdentity | null): Promise<boolean>;
}
