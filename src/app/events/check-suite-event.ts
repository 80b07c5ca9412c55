import { z } from "zod";
import { rerunPlans } from "../rerun-plans.js";
import { installationPart, repoRefOf, repositoryPart } from "./payload-parts.js";
import type { WebhookEvent } from "./webhook-event.js";

const schema = z.object({
  action: z.string(),
  check_suite: z.object({ id: z.number().int().positive(), head_sha: z.string().regex(/^[0-9a-f]{40}$/) }),
  sender: z.object({ login: z.string() }),
  repository: repositoryPart,
  installation: installationPart,
});

/** "Re-run all checks" on a commit tfgate checked: every affected project is planned again. */
export const checkSuiteEvent: WebhookEvent<z.infer<typeof schema>> = {
  name: "check_suite",
  schema,
  async handle(deps, { action, check_suite: s, sender, repository: r, installation: i }, delivery) {
    if (action !== "rerequested") return;
    const result = await rerunPlans(deps, { kind: "suite", repo: repoRefOf(r, i), sender: sender.login, headSha: s.head_sha });
    if (result.status === "ignored") deps.log.warn({ delivery: delivery.id, checkSuite: s.id, reason: result.reason }, "check suite re-run ignored");
    else deps.log.info({ delivery: delivery.id, checkSuite: s.id, prs: result.prs }, "check suite re-run: planning again");
  },
};
