import { projectRequirements, teamsOf } from "../domain/apply/project-requirements.js";
import { declaresBackend } from "../domain/projects/declares-backend.js";
import { couldNotPlanReply } from "../domain/render/summary-notes.js";
import { stateFromOutcome } from "../domain/render/summary-input.js";
import { chooseTargets } from "./choose-targets.js";
import { claimProjectLocks } from "./claim-project-locks.js";
import { detectChanges } from "./detect-changes.js";
import { loadPolicyContext } from "./load-policy-context.js";
import { AGGREGATE_CONTEXT } from "./plan-status.js";
import { planProjects } from "./plan-projects.js";
import { approverTeams, buildPrContext } from "./pr-context.js";
import { prKeyOf, updateRow } from "./pr-run.js";
import type { PlanRecord } from "./ports/plans.js";
import type { ChangeRequest, RepoRef } from "./ports/vcs.js";
import type { PullRequestDeps } from "./pull-request-deps.js";
import { recordPlanResult } from "./record-plan-result.js";
import { runLogUrl } from "./run-log-url.js";
import { trustedProjects } from "./trusted-projects.js";

export interface PlanRequest {
  /** Plan only these projects (from `/plan a b`); all affected ones otherwise. */
  readonly only?: readonly string[];
  readonly actor?: string;
  /** Where to answer the person who asked (a `/plan` comment); autoplan has nobody to answer. */
  readonly reply?: (text: string) => Promise<void>;
}

/**
 * Plans what a pull request's head changes: detection against the trusted configuration, the
 * project locks, one sandboxed job per project, then the summary and statuses as results come in.
 */
export async function planPullRequest(deps: PullRequestDeps, repo: RepoRef, pr: ChangeRequest, request: PlanRequest = {}): Promise<void> {
  const { prStates } = deps;
  const started = Date.now();
  const built = await buildPrContext(deps, repo, pr);
  if (built.status === "refused") return refuse(deps, repo, pr, [built.message], request.reply);
  const { context } = built;
  const { reader, trust } = context;
  const ctx = { repo: context.name, pr: pr.number, sha: pr.headSha };
  const fetchedMs = Date.now() - started;
  const report = await detectChanges(
    { reader, validator: deps.validator },
    { base: pr.baseSha, head: pr.headSha, config: { sha: trust.configSha, name: `the head of \`${trust.configBranch}\` (${trust.configSha.slice(0, 7)})` } },
  );
  deps.log.info(
    { ...ctx, fetchMs: fetchedMs, detectMs: Date.now() - started - fetchedMs, affected: report.status === "ok" ? report.detection.projects.map((a) => a.project.name) : null },
    "detected affected projects",
  );
  const run = await prStates.begin(repo, pr);
  // Plans for an older head of this pull request are obsolete.
  deps.queue.cancel((j) => j.tags["pr"] === prKeyOf(repo, pr.number) && j.tags["sha"] !== pr.headSha, `superseded by ${pr.headSha.slice(0, 12)}`);
  if (report.status === "error") return refuse(deps, repo, pr, report.problems.map((p) => p.message), request.reply);
  run.problems = [];
  const { detection } = report;
  const chosen = chooseTargets(detection, request.only, report.headTree);
  if (chosen.status === "refused") return refuse(deps, repo, pr, chosen.problems.map((p) => p.message), request.reply);
  if (chosen.status === "unknown") {
    await request.reply?.(chosen.message);
    return;
  }
  run.deleted = detection.deleted;
  run.author = pr.author;
  run.trust = { configBranch: trust.configBranch, protected: trust.protected };
  const requirements = chosen.projects.map((p) => [p.name, projectRequirements(p.name, deps.settings.approverTeams, report.config.apply, deps.settings.applyFloor)] as const);
  // A `/plan` of some projects keeps the others' rules.
  run.approvalRules = { ...run.approvalRules, ...Object.fromEntries(requirements.map(([name, r]) => [name, r.approvals])) };
  run.approverTeams = [...new Set([...approverTeams(deps.settings.approverTeams, report.config.apply.approver_teams), ...deps.settings.applyFloor.teams, ...teamsOf(requirements.map(([, r]) => r))])].sort();
  run.configChanged = detection.configChanged;
  run.warnings = detection.warnings;

  const pullUrl = (n: number) => `${deps.settings.webBaseUrl}/${repo.owner}/${repo.name}/pull/${n}`;
  const planned = await claimProjectLocks({ locks: deps.locks, vcs: deps.vcs, pullUrl }, repo, run, chosen.projects);
  const why = new Map(detection.projects.map((a) => [a.project.name, a.reasons]));
  const asked = request.actor === undefined ? "requested with /plan" : `requested with /plan by @${request.actor}`;
  for (const p of chosen.projects) updateRow(run, p.name, { reasons: why.get(p.name) ?? [asked] });
  if (planned.length === 0) return prStates.publishAll(repo, run);
  const finished = () => [...run.rows.values()].every((r) => r.state.status !== "queued" && r.state.status !== "running");
  let progressShown = false;
  const progress = setTimeout(() => {
    if (!prStates.isCurrent(run) || finished()) return;
    progressShown = true;
    void prStates.publishAll(repo, run).catch((err: unknown) => deps.log.warn({ err }, "could not publish progress"));
  }, deps.settings.progressDelayMs);

  const [policy, trusted] = await Promise.all([loadPolicyContext(reader, report.configSha, report.config), trustedProjects(reader, report.configSha, report.config)]);
  const created = new Map<string, Promise<unknown>>();
  /** Each plan's reporting (record, summary, statuses): the handling ends when the last one has. */
  const reports: Promise<void>[] = [];
  const current = () => prStates.isCurrent(run);
  await planProjects(deps, {
    repo: { key: context.repoKey, source: context.source, name: context.name },
    sha: pr.headSha,
    targets: planned.map((project) => ({ project, localState: !declaresBackend(report.headTree, project.dir), trusted: trusted(project) })),
    planDir: deps.settings.planDir,
    stateDir: deps.settings.stateDir,
    scope: prKeyOf(repo, pr.number),
    tags: { pr: prKeyOf(repo, pr.number) },
    policy,
    fetchEnv: context.fetchEnv,
    onQueued: (project, id) => {
      created.set(id, deps.store.jobs.create({ id, repo: context.name, pr: pr.number, project: project.name, headSha: pr.headSha, actor: request.actor }));
      const logUrl = runLogUrl(deps.settings.publicUrl, id);
      if (logUrl) updateRow(run, project.name, { logUrl });
    },
    onOutput: (_project, line, id) => deps.runLogs.append(id, line),
    onStart: (project, id) => {
      void created.get(id)?.then(() => deps.store.jobs.transition(id, "running")).catch((err: unknown) => deps.log.warn({ err, jobId: id }, "could not record a job start"));
      if (!current()) return;
      // The row no longer shows that project's earlier plan.
      run.planIds.delete(project.name);
      updateRow(run, project.name, { state: { status: "running" } });
      if (progressShown) void prStates.publish(repo, run);
    },
    onResult: (result, id) => {
      const report = (async () => {
        await created.get(id)?.catch(() => undefined);
        let saved: PlanRecord | null = null;
        try {
          saved = await recordPlanResult(deps, { repo: context.name, pr: run.pr, headSha: run.headSha, jobId: id, result });
        } finally {
          // After the state is recorded (followers are told it), and whatever happened.
          deps.runLogs.finish(id);
        }
        if (!current() || (result.outcome.status === "error" && result.outcome.reason === "cancelled")) return;
        deps.log.info(
          { ...ctx, project: result.project.name, job: id, outcome: result.outcome.status, planMs: result.outcome.durationMs, policy: result.policy?.status ?? null, sinceDeliveryMs: Date.now() - started },
          "plan finished",
        );
        if (saved) run.planIds.set(result.project.name, saved.id);
        const row = updateRow(run, result.project.name, { state: stateFromOutcome(result.outcome), policy: result.policy, planHash: saved?.contentHash ?? undefined, steps: result.outcome.steps ?? [] });
        if (finished()) {
          clearTimeout(progress);
          await prStates.updateGates(repo, run);
          // The summary first: it is what people wait for; statuses follow, paced by GitHub's limits.
          await prStates.publishAll(repo, run);
          deps.log.info({ ...ctx, sinceDeliveryMs: Date.now() - started }, "summary published");
        } else {
          await prStates.publish(repo, run);
          if (row) await prStates.setStatus(repo, run, row);
        }
      })().catch((err: unknown) => deps.log.error({ err, jobId: id }, "could not report a plan"));
      reports.push(report);
    },
  });
  await Promise.all(reports);
}

/**
 * Nothing can be planned for this head: said in the summary (one comment per PR, updated by the
 * next push), the command's reply and the aggregate status; nothing is locked, queued or recorded.
 */
async function refuse(deps: PullRequestDeps, repo: RepoRef, pr: ChangeRequest, problems: readonly string[], reply?: (text: string) => Promise<void>): Promise<void> {
  const run = await deps.prStates.begin(repo, pr);
  run.problems = problems;
  await reply?.(couldNotPlanReply(pr.headSha, problems));
  await deps.prStates.publish(repo, run);
  await deps.vcs.setStatus(repo, pr.headSha, { context: AGGREGATE_CONTEXT, state: "error", description: problems[0] ?? "invalid input" });
}
