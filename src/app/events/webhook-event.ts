import type { z } from "zod";
import type { WebhookDeps } from "../webhook-deps.js";

/** A verified delivery from the code host, its body parsed as JSON once by the http adapter. */
export interface WebhookDelivery {
  readonly id: string;
  /** The host's event name (GitHub's X-GitHub-Event): `pull_request`. */
  readonly event: string;
  readonly payload: unknown;
}

/**
 * One webhook event tfgate handles, in its own file under app/events/ and listed once in
 * event-registry.ts. `T` is what the schema yields; `handle` is declared as a method so that a
 * registry can hold events of different `T` (each pairs its own schema and handler).
 */
export interface WebhookEvent<T = unknown> {
  readonly name: string;
  /** Only the fields `handle` reads (the host sends far more): a payload missing one is logged, not handled. */
  readonly schema: z.ZodType<T>;
  handle(deps: WebhookDeps, parsed: T, delivery: WebhookDelivery): Promise<void>;
}
