import { z } from "zod";
import { rerunPlans } from "../rerun-plans.js";
import { installationPart, repoRefOf, repositoryPart } from "./payload-parts.js";
import type { WebhookEvent } from "./webhook-event.js";

const schema = z.object({
  action: z.string(),
  check_run: z.object({ id: z.number().int().positive() }),
  sender: z.object({ login: z.string() }),
  repository: repositoryPart,
  installation: installationPart,
});

/** "Re-run" on one of tfgate's checks: that check's plan runs again (rerun-plans.ts). */
export const checkRunEvent: WebhookEvent<z.infer<typeof schema>> = {
  name: "check_run",
  schema,
  async handle(deps, { action, check_run: c, sender, repository: r, installation: i }, delivery) {
    if (action !== "rerequested") return;
    const result = await rerunPlans(deps, { kind: "check", repo: repoRefOf(r, i), sender: sender.login, checkRunId: c.id });
    if (result.status === "ignored") deps.log.warn({ delivery: delivery.id, checkRun: c.id, reason: result.reason }, "check run re-run ignored");
    else deps.log.info({ delivery: delivery.id, checkRun: c.id, prs: result.prs, projects: result.projects }, "check run re-run: planning again");
  },
};
