import type { CheckRunPatch } from "../check-run-state.js";
import type { CheckRunConclusion, CheckRunStatus, FakeAnnotation } from "../fake-github-model.js";
import { checkRun } from "../representations/check-run-representation.js";
import type { HandlerRequest, HandlerResponse, OperationHandler } from "./operation-handler.js";
import { bodyField, errorResponse, intParam, isResponse, notFound, paginate, validationFailed, visibleRepo } from "./operation-handler.js";

/** GitHub's limits (the contract checks them too; these answers are GitHub's own words). */
const ANNOTATIONS_PER_REQUEST = 50;
const OUTPUT_TEXT_LIMIT = 65_535;

export const checkHandlers: Readonly<Record<string, OperationHandler>> = {
  "checks/create": {
    auth: "installation",
    handle: (request) => {
      const repo = visibleRepo(request);
      if (isResponse(repo)) return repo;
      const sha = String(bodyField(request, "head_sha") ?? "").toLowerCase();
      if (!/^[0-9a-f]{40}$/.test(sha)) return errorResponse(422, "No commit found for SHA: " + sha);
      const fields = checkFields(request);
      if (isResponse(fields)) return fields;
      const created = request.rep.state.addCheckRun({ owner: repo.owner, repo: repo.name, headSha: sha, name: String(bodyField(request, "name")), appId: request.rep.appId, ...fields });
      return { status: 201, body: checkRun(request.rep, created) };
    },
  },
  "checks/list-for-ref": {
    auth: "installation",
    handle: (request) => {
      const repo = visibleRepo(request);
      if (isResponse(repo)) return repo;
      const ref = request.params.ref ?? "";
      const sha = request.rep.state.resolveRef(repo.owner, repo.name, ref);
      if (!sha) return errorResponse(404, `No commit found for SHA: ${ref}`);
      // filter=latest (GitHub's default): the newest run of each name, per app.
      const latest = new Map<string, ReturnType<typeof request.rep.state.checkRuns>[number]>();
      for (const r of request.rep.state.checkRuns(repo.owner, repo.name, sha)) latest.set(`${r.appId}\u0000${r.name}`, r);
      const all = [...latest.values()];
      const { page, headers } = paginate(all, request);
      return { status: 200, body: { total_count: all.length, check_runs: page.map((r) => checkRun(request.rep, r)) }, headers };
    },
  },
  "checks/update": {
    auth: "installation",
    handle: (request) => {
      const repo = visibleRepo(request);
      if (isResponse(repo)) return repo;
      const found = request.rep.state.checkRun(intParam(request, "check_run_id"));
      if (!found || found.owner.toLowerCase() !== repo.owner.toLowerCase() || found.repo.toLowerCase() !== repo.name.toLowerCase()) return notFound("no such check run in this repository");
      // GitHub: an app may only update the check runs it created.
      if (found.appId !== request.rep.appId) return errorResponse(403, "Invalid app_id `" + request.rep.appId + "` - check run can only be modified by the GitHub App that created it.");
      const fields = checkFields(request);
      if (isResponse(fields)) return fields;
      const name = bodyField(request, "name");
      return { status: 200, body: checkRun(request.rep, request.rep.state.updateCheckRun(found.id, { ...fields, ...(typeof name === "string" ? { name } : {}) })) };
    },
  },
};

/** The writable fields of a create or update body, or GitHub's 422. */
function checkFields(request: HandlerRequest): CheckRunPatch | HandlerResponse {
  const out: { -readonly [K in keyof CheckRunPatch]: CheckRunPatch[K] } = {};
  const status = bodyField(request, "status");
  const conclusion = bodyField(request, "conclusion");
  if (status === "completed" && conclusion === undefined) return validationFailed("CheckRun", "conclusion", "conclusion is required when status is completed");
  if (typeof status === "string") out.status = status as CheckRunStatus;
  if (typeof conclusion === "string") out.conclusion = conclusion as CheckRunConclusion;
  const details = bodyField(request, "details_url");
  if (typeof details === "string") out.detailsUrl = details;
  const external = bodyField(request, "external_id");
  if (typeof external === "string") out.externalId = external;
  const output = bodyField(request, "output") as Record<string, unknown> | undefined;
  if (output !== undefined) {
    for (const key of ["summary", "text"] as const) {
      const value = output[key];
      if (typeof value === "string" && value.length > OUTPUT_TEXT_LIMIT) return validationFailed("CheckRun", `output.${key}`, `${key} is too long (maximum is ${OUTPUT_TEXT_LIMIT} characters)`);
    }
    out.title = typeof output.title === "string" ? output.title : null;
    out.summary = typeof output.summary === "string" ? output.summary : null;
    if (typeof output.text === "string") out.text = output.text;
    const annotations = Array.isArray(output.annotations) ? (output.annotations as Record<string, unknown>[]) : [];
    if (annotations.length > ANNOTATIONS_PER_REQUEST) return validationFailed("CheckRun", "output.annotations", `only ${ANNOTATIONS_PER_REQUEST} annotations are allowed per request`);
    out.annotations = annotations.map(
      (a): FakeAnnotation => ({
        path: String(a.path),
        startLine: Number(a.start_line),
        endLine: Number(a.end_line),
        level: a.annotation_level as FakeAnnotation["level"],
        title: typeof a.title === "string" ? a.title : null,
        message: String(a.message),
      }),
    );
  }
  return out;
}
