import { z } from "zod";
import { onComment } from "../on-comment.js";
import { onDriftIssueComment } from "../on-drift-issue-comment.js";
import { installationPart, repoRefOf, repositoryPart } from "./payload-parts.js";
import type { WebhookEvent } from "./webhook-event.js";

const schema = z.object({
  action: z.string(),
  issue: z.object({ number: z.number().int(), pull_request: z.object({}).passthrough().optional(), labels: z.array(z.object({ name: z.string() })).optional() }),
  comment: z.object({ id: z.number().int(), body: z.string().nullable(), user: z.object({ login: z.string(), type: z.string() }) }),
  repository: repositoryPart,
  installation: installationPart,
});

/**
 * A new comment on a pull request: its commands run (on-comment.ts). On a plain issue, only
 * `/plan` on a drift issue does anything (on-drift-issue-comment.ts).
 */
export const issueCommentEvent: WebhookEvent<z.infer<typeof schema>> = {
  name: "issue_comment",
  schema,
  async handle(deps, { action, issue, comment, repository: r, installation: i }) {
    if (action !== "created") return;
    const said = { repo: repoRefOf(r, i), commentId: comment.id, body: comment.body ?? "", author: comment.user.login, authorIsBot: comment.user.type === "Bot" };
    // GitHub sends comments on pull requests and on plain issues alike; only the former carry `pull_request`.
    if (!issue.pull_request) return onDriftIssueComment(deps, { ...said, issue: issue.number, ...(issue.labels ? { labels: issue.labels.map((l) => l.name) } : {}) });
    return onComment(deps, { ...said, pr: issue.number });
  },
};
