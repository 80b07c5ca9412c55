import type { StatusState } from "../fake-github-model.js";
import { combinedStatus, status } from "../representations/status-representation.js";
import type { OperationHandler } from "./operation-handler.js";
import { bodyField, errorResponse, isResponse, paginate, validationFailed, visibleRepo } from "./operation-handler.js";

/** GitHub refuses longer status descriptions. */
const DESCRIPTION_LIMIT = 140;

export const statusHandlers: Readonly<Record<string, OperationHandler>> = {
  "repos/create-commit-status": {
    auth: "installation",
    handle: (request) => {
      const repo = visibleRepo(request);
      if (isResponse(repo)) return repo;
      const sha = (request.params.sha ?? "").toLowerCase();
      // The fake has no commits; any full SHA stands for one, anything else is GitHub's 422.
      if (!/^[0-9a-f]{40}$/.test(sha)) return errorResponse(422, `No commit found for SHA: ${request.params.sha ?? ""}`);
      const description = bodyField(request, "description");
      if (typeof description === "string" && description.length > DESCRIPTION_LIMIT) {
        return validationFailed("Status", "description", `description is too long (maximum is ${DESCRIPTION_LIMIT} characters)`);
      }
      const targetUrl = bodyField(request, "target_url");
      const context = bodyField(request, "context");
      const created = request.rep.state.addStatus({
        owner: repo.owner,
        repo: repo.name,
        sha,
        state: bodyField(request, "state") as StatusState,
        ...(typeof context === "string" ? { context } : {}),
        description: typeof description === "string" ? description : null,
        targetUrl: typeof targetUrl === "string" ? targetUrl : null,
        creator: request.caller.kind === "installation" ? request.caller.login : request.rep.state.botLogin,
      });
      return { status: 201, body: status(request.rep, created) };
    },
  },
  "repos/get-combined-status-for-ref": {
    auth: "installation",
    handle: (request) => {
      const repo = visibleRepo(request);
      if (isResponse(repo)) return repo;
      const ref = request.params.ref ?? "";
      const sha = request.rep.state.resolveRef(repo.owner, repo.name, ref);
      if (!sha) return errorResponse(404, `No commit found for SHA: ${ref}`);
      const all = request.rep.state.latestStatuses(repo.owner, repo.name, sha);
      const { page, headers } = paginate(all, request);
      return { status: 200, body: combinedStatus(request.rep, repo.owner, repo.name, sha, all, page), headers };
    },
  },
};
