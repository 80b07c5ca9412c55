import type { FakePullRequest, FakeReview } from "../fake-github-model.js";
import { iso, nodeId } from "./representation-context.js";
import type { RepresentationContext } from "./representation-context.js";
import { repository } from "./repository-representation.js";
import { simpleUser } from "./user-representation.js";

export type AuthorAssociation = "OWNER" | "MEMBER" | "COLLABORATOR" | "NONE";

/** How GitHub labels an author relative to a repository (rough, but enough for display). */
export function authorAssociation(ctx: RepresentationContext, owner: string, repo: string, login: string): AuthorAssociation {
  if (login.toLowerCase() === owner.toLowerCase()) return "OWNER";
  if (ctx.state.isOrgMember(owner, login)) return "MEMBER";
  const role = ctx.state.role(owner, repo, login);
  return role !== undefined && role !== "none" ? "COLLABORATOR" : "NONE";
}

function mergeableState(pr: FakePullRequest): string {
  if (pr.state === "closed") return "unknown";
  if (pr.draft) return "draft";
  if (pr.mergeable === null) return "unknown";
  return pr.mergeable ? "clean" : "dirty";
}

/** `pull-request`. */
export function pullRequest(ctx: RepresentationContext, pr: FakePullRequest) {
  const full = `${pr.owner}/${pr.repo}`;
  const api = `${ctx.apiUrl}/repos/${full}`;
  const html = `${ctx.htmlUrl}/${full}/pull/${pr.number}`;
  const headOwner = pr.headRepoFullName.split("/")[0] ?? pr.owner;
  const comments = ctx.state.comments(pr.owner, pr.repo, pr.number).length;
  const links = {
    self: `${api}/pulls/${pr.number}`,
    html,
    issue: `${api}/issues/${pr.number}`,
    comments: `${api}/issues/${pr.number}/comments`,
    review_comments: `${api}/pulls/${pr.number}/comments`,
    review_comment: `${api}/pulls/comments{/number}`,
    commits: `${api}/pulls/${pr.number}/commits`,
    statuses: `${api}/statuses/${pr.headSha}`,
  };
  return {
    url: links.self,
    id: pr.id,
    node_id: nodeId("PullRequest", pr.id),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: links.issue,
    commits_url: links.commits,
    review_comments_url: links.review_comments,
    review_comment_url: links.review_comment,
    comments_url: links.comments,
    statuses_url: links.statuses,
    number: pr.number,
    state: pr.state,
    locked: false,
    title: pr.title,
    user: simpleUser(ctx, pr.user),
    body: pr.body,
    labels: [],
    milestone: null,
    active_lock_reason: null,
    created_at: iso(pr.createdAt),
    updated_at: iso(pr.updatedAt),
    closed_at: pr.closedAt && iso(pr.closedAt),
    merged_at: pr.mergedAt && iso(pr.mergedAt),
    merge_commit_sha: pr.mergeCommitSha,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    head: { label: `${headOwner}:${pr.headRef}`, ref: pr.headRef, sha: pr.headSha, user: simpleUser(ctx, headOwner), repo: repository(ctx, pr.headRepoFullName) },
    base: { label: `${pr.owner}:${pr.baseRef}`, ref: pr.baseRef, sha: pr.baseSha, user: simpleUser(ctx, pr.owner), repo: repository(ctx, full) },
    _links: Object.fromEntries(Object.entries(links).map(([k, href]) => [k, { href }])),
    author_association: authorAssociation(ctx, pr.owner, pr.repo, pr.user),
    auto_merge: null,
    draft: pr.draft,
    merged: pr.merged,
    mergeable: pr.state === "open" ? pr.mergeable : null,
    rebaseable: pr.state === "open" ? pr.mergeable : null,
    mergeable_state: mergeableState(pr),
    merged_by: pr.mergedBy === null ? null : simpleUser(ctx, pr.mergedBy),
    comments,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: 1,
    additions: 0,
    deletions: 0,
    changed_files: 0,
  };
}

/** `pull-request-review`. */
export function review(ctx: RepresentationContext, r: FakeReview) {
  const full = `${r.owner}/${r.repo}`;
  const html = `${ctx.htmlUrl}/${full}/pull/${r.pullNumber}#pullrequestreview-${r.id}`;
  const pullUrl = `${ctx.apiUrl}/repos/${full}/pulls/${r.pullNumber}`;
  return {
    id: r.id,
    node_id: nodeId("PullRequestReview", r.id),
    user: simpleUser(ctx, r.user),
    body: r.body,
    state: r.state,
    html_url: html,
    pull_request_url: pullUrl,
    _links: { html: { href: html }, pull_request: { href: pullUrl } },
    submitted_at: iso(r.submittedAt),
    commit_id: r.commitId,
    author_association: authorAssociation(ctx, r.owner, r.repo, r.user),
  };
}
