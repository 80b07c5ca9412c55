import type { ReactionContent } from "../fake-github-model.js";
import { issueComment, reaction } from "../representations/issue-representation.js";
import type { HandlerRequest, HandlerResponse, OperationHandler } from "./operation-handler.js";
import { bodyField, intParam, isResponse, notFound, paginate, validationFailed, visibleRepo } from "./operation-handler.js";

/** GitHub's limit on an issue or pull request comment body. */
export const COMMENT_BODY_LIMIT = 65_536;

/**
 * GitHub (Ruby) counts characters as code points; a client that counts UTF-16 units or bytes stays
 * within the limit whenever this does not complain.
 */
export function tooLong(body: string, resource = "IssueComment"): HandlerResponse | undefined {
  let count = 0;
  for (const _ of body) if (++count > COMMENT_BODY_LIMIT) break;
  return count > COMMENT_BODY_LIMIT ? validationFailed(resource, "data", `Body is too long (maximum is ${COMMENT_BODY_LIMIT} characters)`) : undefined;
}

export function callerLogin(request: HandlerRequest): string {
  return request.caller.kind === "installation" ? request.caller.login : request.rep.state.botLogin;
}

/** A pull request or a plain issue: both take issue comments. */
function isThread(request: HandlerRequest, owner: string, repo: string, number: number): boolean {
  return request.rep.state.pullRequest(owner, repo, number) !== undefined || request.rep.state.issue(owner, repo, number) !== undefined;
}

/** The comment named in the path, if it belongs to the repository in the path. */
function visibleComment(request: HandlerRequest) {
  const repo = visibleRepo(request);
  if (isResponse(repo)) return repo;
  const comment = request.rep.state.comment(intParam(request, "comment_id"));
  const here = comment && comment.owner.toLowerCase() === repo.owner.toLowerCase() && comment.repo.toLowerCase() === repo.name.toLowerCase();
  return here ? comment : notFound("no such comment in this repository");
}

export const commentHandlers: Readonly<Record<string, OperationHandler>> = {
  "issues/list-comments": {
    auth: "installation",
    handle: (request) => {
      const repo = visibleRepo(request);
      if (isResponse(repo)) return repo;
      const number = intParam(request, "issue_number");
      if (!isThread(request, repo.owner, repo.name, number)) return notFound("no such issue or pull request");
      const since = request.query.get("since");
      const all = request.rep.state.comments(repo.owner, repo.name, number).filter((c) => since === null || c.updatedAt >= new Date(since));
      const { page, headers } = paginate(all, request);
      return { status: 200, body: page.map((c) => issueComment(request.rep, c)), headers };
    },
  },
  "issues/create-comment": {
    auth: "installation",
    handle: (request) => {
      const repo = visibleRepo(request);
      if (isResponse(repo)) return repo;
      const number = intParam(request, "issue_number");
      if (!isThread(request, repo.owner, repo.name, number)) return notFound("no such issue or pull request");
      const body = String(bodyField(request, "body") ?? "");
      const refusal = tooLong(body);
      if (refusal) return refusal;
      const comment = request.rep.state.addComment({ owner: repo.owner, repo: repo.name, issueNumber: number, user: callerLogin(request), body, viaApp: true });
      const shown = issueComment(request.rep, comment);
      return { status: 201, body: shown, headers: { location: shown.url } };
    },
  },
  "issues/update-comment": {
    auth: "installation",
    handle: (request) => {
      const comment = visibleComment(request);
      if (isResponse(comment)) return comment;
      const body = String(bodyField(request, "body") ?? "");
      const refusal = tooLong(body);
      if (refusal) return refusal;
      return { status: 200, body: issueComment(request.rep, request.rep.state.updateComment(comment.id, body)) };
    },
  },
  "issues/delete-comment": {
    auth: "installation",
    handle: (request) => {
      const comment = visibleComment(request);
      if (isResponse(comment)) return comment;
      request.rep.state.deleteComment(comment.id);
      return { status: 204 };
    },
  },
  "reactions/create-for-issue-comment": {
    auth: "installation",
    handle: (request) => {
      const comment = visibleComment(request);
      if (isResponse(comment)) return comment;
      const content = bodyField(request, "content") as ReactionContent;
      const { reaction: made, created } = request.rep.state.addReaction(comment.id, callerLogin(request), content);
      return { status: created ? 201 : 200, body: reaction(request.rep, made) };
    },
  },
};
