import { issue, pullRequestAsIssue } from "../representations/issue-representation.js";
import type { HandlerRequest, OperationHandler } from "./operation-handler.js";
import { bodyField, intParam, isResponse, notFound, paginate, validationFailed, visibleRepo } from "./operation-handler.js";
import { callerLogin, tooLong } from "./comment-handlers.js";

/** Label names as `labels` in a request body gives them (names or label objects). */
function labelNames(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.map((l) => (typeof l === "string" ? l : String((l as { name?: unknown }).name ?? ""))).filter((n) => n !== "");
}

/** The plain issue named in the path; a pull request's number is not one (tfgate never edits those as issues). */
function visibleIssue(request: HandlerRequest) {
  const repo = visibleRepo(request);
  if (isResponse(repo)) return repo;
  const found = request.rep.state.issue(repo.owner, repo.name, intParam(request, "issue_number"));
  return found ?? notFound("no such issue in this repository");
}

export const issueHandlers: Readonly<Record<string, OperationHandler>> = {
  "issues/create": {
    auth: "installation",
    handle: (request) => {
      const repo = visibleRepo(request);
      if (isResponse(repo)) return repo;
      const title = String(bodyField(request, "title") ?? "");
      if (title.trim() === "") return validationFailed("Issue", "title", "title is missing");
      const body = bodyField(request, "body");
      const refusal = typeof body === "string" ? tooLong(body, "Issue") : undefined;
      if (refusal) return refusal;
      const made = request.rep.state.addIssue({
        owner: repo.owner,
        repo: repo.name,
        title,
        body: typeof body === "string" ? body : null,
        user: callerLogin(request),
        labels: labelNames(bodyField(request, "labels")),
        viaApp: true,
      });
      const shown = issue(request.rep, made);
      return { status: 201, body: shown, headers: { location: shown.url } };
    },
  },
  "issues/update": {
    auth: "installation",
    handle: (request) => {
      const found = visibleIssue(request);
      if (isResponse(found)) return found;
      const title = bodyField(request, "title");
      const body = bodyField(request, "body");
      const state = bodyField(request, "state");
      const labels = bodyField(request, "labels");
      const refusal = typeof body === "string" ? tooLong(body, "Issue") : undefined;
      if (refusal) return refusal;
      const updated = request.rep.state.updateIssue(found.owner, found.repo, found.number, {
        ...(typeof title === "string" ? { title } : {}),
        ...(typeof body === "string" || body === null ? { body } : {}),
        ...(state === "open" || state === "closed" ? { state } : {}),
        ...(labels !== undefined ? { labels: labelNames(labels) } : {}),
      });
      return { status: 200, body: issue(request.rep, updated) };
    },
  },
  "issues/list-for-repo": {
    auth: "installation",
    handle: (request) => {
      const repo = visibleRepo(request);
      if (isResponse(repo)) return repo;
      const state = request.query.get("state") ?? "open";
      const creator = request.query.get("creator")?.toLowerCase() ?? null;
      const wanted = (request.query.get("labels") ?? "").split(",").map((l) => l.trim().toLowerCase()).filter((l) => l !== "");
      const keep = (s: string, user: string, labels: readonly string[]) =>
        (state === "all" || s === state) && (creator === null || user.toLowerCase() === creator) && wanted.every((w) => labels.some((l) => l.toLowerCase() === w));
      // GitHub's issue list holds pull requests too (they carry `pull_request`); a client must skip them.
      const items = [
        ...request.rep.state.issues(repo.owner, repo.name).filter((i) => keep(i.state, i.user, i.labels)).map((i) => ({ number: i.number, shown: () => issue(request.rep, i) })),
        ...request.rep.state.pullRequests(repo.owner, repo.name).filter((p) => keep(p.state, p.user, [])).map((p) => ({ number: p.number, shown: () => pullRequestAsIssue(request.rep, p) })),
      ];
      const direction = request.query.get("direction") ?? "desc";
      items.sort((a, b) => (direction === "asc" ? a.number - b.number : b.number - a.number));
      const { page, headers } = paginate(items, request);
      return { status: 200, body: page.map((i) => i.shown()), headers };
    },
  },
};
