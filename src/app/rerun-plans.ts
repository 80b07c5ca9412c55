import { AGGREGATE_CONTEXT, projectContext } from "./plan-status.js";
import { planPullRequest } from "./plan-pull-request.js";
import { repoNameOf } from "./pr-run.js";
import { canWrite, type RepoRef } from "./ports/vcs.js";
import type { PullRequestDeps } from "./pull-request-deps.js";

/** What someone asked to run again from the host's UI: one check ("Re-run"), or a commit's whole suite. */
export type RerunRequest =
  | { readonly kind: "check"; readonly repo: RepoRef; readonly sender: string; readonly checkRunId: number }
  | { readonly kind: "suite"; readonly repo: RepoRef; readonly sender: string; readonly headSha: string };

export type RerunResult =
  | { readonly status: "planned"; readonly prs: readonly number[]; readonly projects: readonly string[] | "all" }
  /** Nothing was run, and why (for the log: the host's UI has nowhere to show an answer). */
  | { readonly status: "ignored"; readonly reason: string };

const PROJECT_CHECK_PREFIX = projectContext("");

/**
 * "Re-run" on a check, or on the checks of a commit, plans again what that check shows: a
 * project's plan check re-plans that project, the aggregate or the suite every affected project,
 * exactly as `/plan` would (same permission: write access; same locks and policies). Only checks
 * tfgate recorded count, so a foreign check run or a forged id runs nothing; an apply check is
 * never re-run from a click.
 */
export async function rerunPlans(deps: PullRequestDeps, request: RerunRequest): Promise<RerunResult> {
  const repoName = repoNameOf(request.repo);
  let headSha: string;
  let prs: number[];
  let only: string[] = [];
  if (request.kind === "check") {
    const record = await deps.store.checks.byId(repoName, request.checkRunId);
    if (record === null) return ignored(`check run ${request.checkRunId} is not one tfgate created`);
    if (record.pr === null) return ignored(`check run ${request.checkRunId} (${record.name}) belongs to no pull request tfgate planned`);
    if (record.name.startsWith(PROJECT_CHECK_PREFIX)) only = [record.name.slice(PROJECT_CHECK_PREFIX.length)];
    else if (record.name !== AGGREGATE_CONTEXT) return ignored(`${record.name} is not a plan check: only plans are re-run from a click`);
    headSha = record.headSha;
    prs = [record.pr];
  } else {
    headSha = request.headSha;
    const records = await deps.store.checks.forHead(repoName, headSha);
    prs = [...new Set(records.flatMap((r) => (r.pr === null ? [] : [r.pr])))];
    if (prs.length === 0) return ignored(`no check of tfgate's is on ${headSha.slice(0, 12)}`);
  }
  // Read once, first, as for a comment: a refused click costs one API call.
  const permission = await deps.vcs.permission(request.repo, request.sender);
  if (!canWrite(permission)) return ignored(`@${request.sender} has ${permission} access; re-running a plan needs write`);
  const planned: number[] = [];
  for (const number of prs) {
    const pr = await deps.vcs.changeRequest(request.repo, number);
    if (pr.state !== "open" || pr.headSha !== headSha) {
      deps.log.info({ repo: repoName, pr: number, sha: headSha }, "re-run ignored: the pull request is closed or has a newer head");
      continue;
    }
    const reply = async (text: string) => deps.log.warn({ repo: repoName, pr: number, answer: text }, "re-run: the plan request was answered");
    await planPullRequest(deps, request.repo, pr, { only, actor: request.sender, reply });
    planned.push(number);
  }
  if (planned.length === 0) return ignored("every pull request of that commit is closed or has a newer head");
  return { status: "planned", prs: planned, projects: only.length === 0 ? "all" : only };
}

function ignored(reason: string): RerunResult {
  return { status: "ignored", reason };
}
