import { refreshGate } from "../refresh-gate.js";
import { z } from "zod";
import { installationPart, repoRefOf, repositoryPart } from "./payload-parts.js";
import type { WebhookEvent } from "./webhook-event.js";

const schema = z.object({ action: z.string(), pull_request: z.object({ number: z.number().int() }), repository: repositoryPart, installation: installationPart });

/** Any review change (submitted, edited, dismissed) can open or close the apply gate: the summary's gate column is re-read. */
export const pullRequestReviewEvent: WebhookEvent<z.infer<typeof schema>> = {
  name: "pull_request_review",
  schema,
  handle(deps, { pull_request: p, repository: r, installation: i }) {
    return refreshGate(deps, repoRefOf(r, i), p.number);
  },
};
