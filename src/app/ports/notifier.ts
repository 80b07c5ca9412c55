import type { NotificationEvent } from "../../domain/notifications/notification-event.js";

/**
 * Tells the outside world what happened (an outgoing webhook today). Fire and forget: `notify`
 * returns at once and never throws, because a receiver that is slow or down must not delay or
 * fail an apply. Delivery, retries and giving up (logged) are the adapter's business.
 */
export interface Notifier {
  notify(event: NotificationEvent): void;
}

/** For a server without `TFGATE_NOTIFY_URL`, and for tests that do not look at notifications. */
export const noNotifier: Notifier = { notify: () => undefined };
