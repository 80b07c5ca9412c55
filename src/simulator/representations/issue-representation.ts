import { createHash } from "node:crypto";
import type { FakeComment, FakeIssue, FakePullRequest, FakeReaction, ReactionContent } from "../fake-github-model.js";
import { app } from "./app-representation.js";
import { authorAssociation } from "./pull-request-representation.js";
import { iso, nodeId } from "./representation-context.js";
import type { RepresentationContext } from "./representation-context.js";
import { simpleUser } from "./user-representation.js";

const CONTENTS: readonly ReactionContent[] = ["+1", "-1", "laugh", "confused", "heart", "hooray", "eyes", "rocket"];

/** `issue-comment`. */
export function issueComment(ctx: RepresentationContext, c: FakeComment) {
  const full = `${c.owner}/${c.repo}`;
  const url = `${ctx.apiUrl}/repos/${full}/issues/comments/${c.id}`;
  const reactions = ctx.state.reactions(c.id);
  return {
    id: c.id,
    node_id: nodeId("IssueComment", c.id),
    url,
    // A plain issue's comments live under /issues/, a pull request's under /pull/.
    html_url: `${ctx.htmlUrl}/${full}/${ctx.state.issue(c.owner, c.repo, c.issueNumber) ? "issues" : "pull"}/${c.issueNumber}#issuecomment-${c.id}`,
    body: c.body,
    user: simpleUser(ctx, c.user),
    created_at: iso(c.createdAt),
    updated_at: iso(c.updatedAt),
    issue_url: `${ctx.apiUrl}/repos/${full}/issues/${c.issueNumber}`,
    author_association: c.viaApp ? "NONE" : authorAssociation(ctx, c.owner, c.repo, c.user),
    performed_via_github_app: c.viaApp ? app(ctx) : null,
    reactions: {
      url: `${url}/reactions`,
      total_count: reactions.length,
      ...Object.fromEntries(CONTENTS.map((content) => [content, reactions.filter((r) => r.content === content).length])),
    },
  };
}

/** `reaction`. */
export function reaction(ctx: RepresentationContext, r: FakeReaction) {
  return { id: r.id, node_id: nodeId("Reaction", r.id), user: simpleUser(ctx, r.user), content: r.content, created_at: iso(r.createdAt) };
}

/** A label as issues embed it; the fake invents a stable id and colour per name. */
function label(ctx: RepresentationContext, owner: string, repo: string, name: string) {
  const id = Number.parseInt(createHash("sha1").update(`${owner}/${repo}:${name}`).digest("hex").slice(0, 10), 16);
  return {
    id,
    node_id: nodeId("Label", id),
    url: `${ctx.apiUrl}/repos/${owner}/${repo}/labels/${encodeURIComponent(name)}`,
    name,
    description: null,
    color: "ededed",
    default: false,
  };
}

/** The fields every `issue` has, whether it is a plain issue or a pull request seen as one. */
function issueFields(ctx: RepresentationContext, owner: string, repo: string, number: number, id: number, kind: "issues" | "pull") {
  const api = `${ctx.apiUrl}/repos/${owner}/${repo}`;
  return {
    id,
    node_id: nodeId(kind === "issues" ? "Issue" : "PullRequest", id),
    url: `${api}/issues/${number}`,
    repository_url: api,
    labels_url: `${api}/issues/${number}/labels{/name}`,
    comments_url: `${api}/issues/${number}/comments`,
    events_url: `${api}/issues/${number}/events`,
    html_url: `${ctx.htmlUrl}/${owner}/${repo}/${kind}/${number}`,
    number,
    assignee: null,
    assignees: [],
    milestone: null,
    locked: false,
    comments: ctx.state.comments(owner, repo, number).length,
  };
}

/** `issue`: a plain issue (no `pull_request` key: that is how GitHub tells the two apart). */
export function issue(ctx: RepresentationContext, i: FakeIssue) {
  return {
    ...issueFields(ctx, i.owner, i.repo, i.number, i.id, "issues"),
    state: i.state,
    state_reason: i.stateReason,
    title: i.title,
    body: i.body,
    user: simpleUser(ctx, i.user),
    labels: i.labels.map((name) => label(ctx, i.owner, i.repo, name)),
    closed_at: i.closedAt ? iso(i.closedAt) : null,
    created_at: iso(i.createdAt),
    updated_at: iso(i.updatedAt),
    author_association: i.viaApp ? "NONE" : authorAssociation(ctx, i.owner, i.repo, i.user),
    performed_via_github_app: i.viaApp ? app(ctx) : null,
  };
}

/** `issue` for a pull request, as the issues list shows one (with its `pull_request` key). */
export function pullRequestAsIssue(ctx: RepresentationContext, pr: FakePullRequest) {
  const html = `${ctx.htmlUrl}/${pr.owner}/${pr.repo}/pull/${pr.number}`;
  return {
    ...issueFields(ctx, pr.owner, pr.repo, pr.number, pr.id, "pull"),
    state: pr.state,
    title: pr.title,
    body: pr.body,
    user: simpleUser(ctx, pr.user),
    labels: [],
    closed_at: pr.closedAt ? iso(pr.closedAt) : null,
    created_at: iso(pr.createdAt),
    updated_at: iso(pr.updatedAt),
    author_association: authorAssociation(ctx, pr.owner, pr.repo, pr.user),
    draft: pr.draft,
    pull_request: { url: `${ctx.apiUrl}/repos/${pr.owner}/${pr.repo}/pulls/${pr.number}`, html_url: html, diff_url: `${html}.diff`, patch_url: `${html}.patch`, merged_at: pr.mergedAt ? iso(pr.mergedAt) : null },
  };
}
