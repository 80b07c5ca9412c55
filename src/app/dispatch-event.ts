import { defaultEvents, type EventRegistry } from "./events/event-registry.js";
import type { WebhookDelivery } from "./events/webhook-event.js";
import type { WebhookDeps } from "./webhook-deps.js";

/**
 * Routes a verified delivery to its event's handler. Events not in `registry` are ignored; a
 * payload its event's schema refuses is logged, not handled.
 */
export async function dispatchEvent(deps: WebhookDeps, delivery: WebhookDelivery, registry: EventRegistry = defaultEvents): Promise<void> {
  const event = registry.get(delivery.event);
  if (event === undefined) return;
  const parsed = event.schema.safeParse(delivery.payload);
  if (!parsed.success) return deps.log.warn({ delivery: delivery.id, issues: parsed.error.issues.slice(0, 5) }, `ignored a malformed ${event.name} payload`);
  return event.handle(deps, parsed.data, delivery);
}
