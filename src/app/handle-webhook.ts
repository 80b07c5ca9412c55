import { z } from "zod";
import type { ChangeRequest, RepoRef } from "./ports/vcs.js";
import { onComment } from "./on-comment.js";
import { closePullRequest } from "./close-pull-request.js";
import { planPullRequest } from "./plan-pull-request.js";
import type { PullRequestDeps } from "./pull-request-deps.js";
import { refreshGate } from "./refresh-gate.js";

// Only the fields tfgate reads; GitHub sends far more. A payload missing one is logged, not run.
const repository = z.object({ name: z.string(), owner: z.object({ login: z.string() }), full_name: z.string() });
const installation = z.object({ id: z.number().int() });
const pullRequest = z.object({
  number: z.number().int(),
  state: z.enum(["open", "closed"]),
  merged: z.boolean().nullable().optional(),
  draft: z.boolean().optional(),
  user: z.object({ login: z.string() }),
  head: z.object({ sha: z.string().regex(/^[0-9a-f]{40,64}$/), ref: z.string(), repo: z.object({ full_name: z.string() }).nullable() }),
  base: z.object({ sha: z.string().regex(/^[0-9a-f]{40,64}$/), ref: z.string(), repo: z.object({ full_name: z.string() }) }),
  mergeable: z.boolean().nullable().optional(),
});
const pullRequestEvent = z.object({ action: z.string(), pull_request: pullRequest, repository: repository.extend({ default_branch: z.string().min(1) }), installation });
const reviewEvent = z.object({ action: z.string(), pull_request: z.object({ number: z.number().int() }), repository, installation });
const issueCommentEvent = z.object({
  action: z.string(),
  issue: z.object({ number: z.number().int(), pull_request: z.object({}).passthrough().optional() }),
  comment: z.object({ id: z.number().int(), body: z.string().nullable(), user: z.object({ login: z.string(), type: z.string() }) }),
  repository,
  installation,
});

export interface WebhookDeps extends PullRequestDeps {
  /** Plan draft pull requests automatically (default: skip until ready for review). */
  readonly planDrafts: boolean;
}

const AUTOPLAN = new Set(["opened", "reopened", "synchronize", "ready_for_review"]);

/** Routes a verified delivery to its use case. Events tfgate does not use are ignored. */
export async function handleWebhook(deps: WebhookDeps, delivery: { id: string; event: string; payload: unknown }): Promise<void> {
  const log = (fields: Record<string, unknown>, msg: string) => deps.log.info({ delivery: delivery.id, event: delivery.event, ...fields }, msg);
  if (delivery.event === "pull_request") {
    const parsed = pullRequestEvent.safeParse(delivery.payload);
    if (!parsed.success) return deps.log.warn({ delivery: delivery.id, issues: parsed.error.issues.slice(0, 5) }, "ignored a malformed pull_request payload");
    const { action, pull_request: p, repository: r, installation: i } = parsed.data;
    const repo: RepoRef = { owner: r.owner.login, name: r.name, hostId: i.id };
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
  }
  if (delivery.event === "pull_request_review") {
    const parsed = reviewEvent.safeParse(delivery.payload);
    if (!parsed.success) return deps.log.warn({ delivery: delivery.id, issues: parsed.error.issues.slice(0, 5) }, "ignored a malformed pull_request_review payload");
    const { pull_request: p, repository: r, installation: i } = parsed.data;
    return refreshGate(deps, { owner: r.owner.login, name: r.name, hostId: i.id }, p.number);
  }
  if (delivery.event === "issue_comment") {
    const parsed = issueCommentEvent.safeParse(delivery.payload);
    if (!parsed.success) return deps.log.warn({ delivery: delivery.id, issues: parsed.error.issues.slice(0, 5) }, "ignored a malformed issue_comment payload");
    const { action, issue, comment, repository: r, installation: i } = parsed.data;
    if (action !== "created" || !issue.pull_request) return;
    return onComment(deps, {
      repo: { owner: r.owner.login, name: r.name, hostId: i.id },
      pr: issue.number,
      commentId: comment.id,
      body: comment.body ?? "",
      author: comment.user.login,
      authorIsBot: comment.user.type === "Bot",
    });
  }
}
