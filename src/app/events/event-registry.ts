import { TfgateError } from "../../domain/errors.js";
import { checkRunEvent } from "./check-run-event.js";
import { checkSuiteEvent } from "./check-suite-event.js";
import { issueCommentEvent } from "./issue-comment-event.js";
import { pullRequestEvent } from "./pull-request-event.js";
import { pullRequestReviewEvent } from "./pull-request-review-event.js";
import type { WebhookEvent } from "./webhook-event.js";

/** The webhook events tfgate handles; deliveries of any other event are ignored. */
export interface EventRegistry {
  readonly events: readonly WebhookEvent[];
  get(name: string): WebhookEvent | undefined;
}

/** Throws when two events share a name. */
export function createEventRegistry(events: readonly WebhookEvent[]): EventRegistry {
  const byName = new Map<string, WebhookEvent>();
  for (const e of events) {
    if (byName.has(e.name)) throw new TfgateError("invalid-input", `event registry: "${e.name}" is registered twice`);
    byName.set(e.name, e);
  }
  return { events: Object.freeze([...events]), get: (name) => byName.get(name) };
}

/** A new event is its own file and one line here. */
export const defaultEvents = createEventRegistry([
  pullRequestEvent,
  pullRequestReviewEvent,
  issueCommentEvent,
  checkRunEvent,
  checkSuiteEvent,
]);
