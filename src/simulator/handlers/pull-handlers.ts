import { pullRequest, review } from "../representations/pull-request-representation.js";
import { collaboratorPermission } from "../representations/user-representation.js";
import type { OperationHandler } from "./operation-handler.js";
import { bodyField, errorResponse, intParam, isResponse, notFound, paginate, visibleRepo } from "./operation-handler.js";

/** Pull requests, reviews, merging, and the permission checks around them. */
export const pullHandlers: Readonly<Record<string, OperationHandler>> = {
  "pulls/get": {
    auth: "installation",
    handle: (request) => {
      const repo = visibleRepo(request);
      if (isResponse(repo)) return repo;
      const pr = request.rep.state.pullRequest(repo.owner, repo.name, intParam(request, "pull_number"));
      return pr ? { status: 200, body: pullRequest(request.rep, pr) } : notFound("no such pull request");
    },
  },
  "pulls/list-reviews": {
    auth: "installation",
    handle: (request) => {
      const repo = visibleRepo(request);
      if (isResponse(repo)) return repo;
      const number = intParam(request, "pull_number");
      if (!request.rep.state.pullRequest(repo.owner, repo.name, number)) return notFound("no such pull request");
      const { page, headers } = paginate(request.rep.state.reviews(repo.owner, repo.name, number), request);
      return { status: 200, body: page.map((r) => review(request.rep, r)), headers };
    },
  },
  "pulls/merge": {
    auth: "installation",
    handle: (request) => {
      const repo = visibleRepo(request);
      if (isResponse(repo)) return repo;
      const { state } = request.rep;
      const pr = state.pullRequest(repo.owner, repo.name, intParam(request, "pull_number"));
      if (!pr) return notFound("no such pull request");
      if (pr.state !== "open" || pr.draft || pr.mergeable !== true) {
        return errorResponse(405, pr.draft ? "Pull Request is still a draft" : "Pull Request is not mergeable");
      }
      const sha = bodyField(request, "sha");
      if (typeof sha === "string" && sha !== pr.headSha) return errorResponse(409, "Head branch was modified. Review and try the merge again.");
      const caller = request.caller.kind === "installation" ? request.caller.login : state.botLogin;
      const merged = state.mergePullRequest(repo.owner, repo.name, pr.number, caller);
      return { status: 200, body: { sha: merged.mergeCommitSha, merged: true, message: "Pull Request successfully merged" } };
    },
  },
  "repos/get-collaborator-permission-level": {
    auth: "installation",
    handle: (request) => {
      const repo = visibleRepo(request);
      if (isResponse(repo)) return repo;
      const login = request.params.username ?? "";
      const account = request.rep.state.account(login);
      if (!account) return notFound(`no user ${login}`);
      const explicit = request.rep.state.role(repo.owner, repo.name, login);
      const role = explicit ?? (login.toLowerCase() === repo.owner.toLowerCase() ? "admin" : repo.private ? "none" : "read");
      return { status: 200, body: collaboratorPermission(request.rep, account.login, role) };
    },
  },
  "teams/get-membership-for-user-in-org": {
    auth: "installation",
    handle: (request) => {
      const { org = "", team_slug: team = "", username = "" } = request.params;
      const { caller, rep } = request;
      const installation = caller.kind === "installation" ? rep.state.installation(caller.installationId) : undefined;
      if (installation?.account.toLowerCase() !== org.toLowerCase()) return notFound(`the installation is not on org ${org}`);
      const membership = rep.state.teamMembership(org, team, username);
      if (!membership) return notFound(`${username} is not in ${org}/${team}`);
      return { status: 200, body: { url: `${rep.apiUrl}/orgs/${org}/teams/${team}/memberships/${encodeURIComponent(username)}`, ...membership } };
    },
  },
};
