import type { DeliveryIdentity } from "../../domain/delivery-identity.js";

/** How the handling of a delivery ended; "abandoned": resumed after too many restarts, given up. */
export type DeliveryOutcome = "handled" | "failed" | "abandoned";

/** A delivery accepted (answered 202) whose handling never finished: a restart resumes it. */
export interface PendingDelivery {
  readonly id: string;
  readonly event: string;
  /** The verified body as received. */
  readonly body: string;
  readonly receivedAt: number;
  /** How many restarts resumed it already. */
  readonly resumes: number;
}

/**
 * Deliveries seen, by `X-GitHub-Delivery` id and by the payload's own identity (a replay of a
 * captured delivery under a new id has the same identity). An identity whose event time is older
 * than what the log still remembers counts as seen: it cannot be shown to be new.
 *
 * A delivery recorded with its body is pending until `finish`: the webhook endpoint records it
 * before answering 202, so a crash between the answer and the end of its handling loses nothing.
 */
export interface DeliveryLog {
  /**
   * Remembers a delivery; "duplicate" when its id or its identity was seen before (atomic).
   * With `body`, the delivery stays pending until `finish`.
   */
  record(deliveryId: string, event: string, identity?: DeliveryIdentity | null, body?: string): Promise<"new" | "duplicate">;
  /** Whether the id or the identity was recorded (a read: in WAL mode it never waits for a writer). */
  seen(deliveryId: string, identity?: DeliveryIdentity | null): Promise<boolean>;
  /** Pending deliveries, oldest first. */
  unfinished(): Promise<readonly PendingDelivery[]>;
  /** Counts one more resume of a pending delivery; the new count (0 when it is not pending). */
  resumed(deliveryId: string): Promise<number>;
  /** Ends a delivery's pending life: its body is dropped, its outcome kept until it is pruned. */
  finish(deliveryId: string, outcome: DeliveryOutcome): Promise<void>;
}
