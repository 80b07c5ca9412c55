import { closePullRequest } from "../close-pull-request.js";
import { planPullRequest } from "../plan-pull-request.js";
import { z } from "zod";
import type { ChangeRequest } from "../ports/vcs.js";
import { installationPart, repoRefOf, repositoryPart } from "./payload-parts.js";
import type { WebhookEvent } from "./webhook-event.js";

const sha = z.string().regex(/^[0-9a-f]{40,64}$/);
const schema = z.object({
  action: z.string(),
  pull_request: z.object({
    number: z.number().int(),
    state: z.enum(["open", "closed"]),
    merged: z.boolean().nullable().optional(),
    draft: z.boolean().optional(),
    user: z.object({ login: z.string() }),
    head: z.object({ sha, ref: z.string(), repo: z.object({ full_name: z.string() }).nullable() }),
    base: z.object({ sha, ref: z.string(), repo: z.object({ full_name: z.string() }) }),
    mergeable: z.boolean().nullable().optional(),
  }),
  repository: repositoryPart.extend({ default_branch: z.string().min(1) }),
  installation: installationPart,
});

const AUTOPLAN = new Set(["opened", "reopened", "synchronize", "ready_for_review"]);

/** Opened, pushed, reopened or ready: planned (not a fork's, not a draft unless configured). Closed: cleaned up. */
export const pullRequestEvent: WebhookEvent<z.infer<typeof schema>> = {
  name: "pull_request",
  schema,
  async handle(deps, { action, pull_request: p, repository: r, installation: i }, delivery) {
    const log = (fields: Record<string, unknown>, msg: string) => deps.log.info({ delivery: delivery.id, event: delivery.event, ...fields }, msg);
    const repo = repoRefOf(r, i);
    const pr: ChangeRequest = {
      number: p.number,
      state: p.state,
      merged: p.merged ?? false,
      draft: p.draft ?? false,
      author: p.user.login,
      headSha: p.head.sha,
      headRef: p.head.ref,
      baseRef: p.base.ref,
      baseSha: p.base.sha,
      defaultBranch: r.default_branch,
      fromFork: p.head.repo?.full_name !== p.base.repo.full_name,
      mergeable: p.mergeable ?? null,
    };
    if (action === "closed") return closePullRequest(deps, repo, pr);
    if (!AUTOPLAN.has(action)) return;
    if (pr.fromFork) {
      log({ repo: r.full_name, pr: pr.number }, "fork pull request: not planned automatically");
      if (action === "opened" || action === "reopened") {
        await deps.vcs.createComment(
          repo,
          pr.number,
          "This pull request comes from a fork, so tfgate does not plan it automatically: planning runs the pull request's code (providers, external data sources). Someone with write access can review it and comment `/plan`.",
        );
      }
      return;
    }
    if (pr.draft && !deps.planDrafts) {
      log({ repo: r.full_name, pr: pr.number }, "draft pull request: not planned until ready for review");
      return;
    }
    log({ repo: r.full_name, pr: pr.number, sha: pr.headSha }, "planning pull request");
    return planPullRequest(deps, repo, pr);
  },
};
