import type { ProjectCredentials } from "../domain/project-credentials.js";
import type { PlanCounts } from "../domain/plan/plan-outcome.js";
import { stateFromOutcome } from "../domain/render/summary-input.js";
import { detectChanges } from "./detect-changes.js";
import type { Vcs, ChangeRequest, RepoRef } from "./ports/vcs.js";
import type { JobQueue } from "./job-queue.js";
import { loadPolicyContext } from "./load-policy-context.js";
import type { Logger } from "./ports/logger.js";
import { gitFetchEnv } from "./git-fetch-env.js";
import { AGGREGATE_CONTEXT } from "./plan-status.js";
import { planProjects } from "./plan-projects.js";
import { chooseTargets } from "./choose-targets.js";
import { claimProjectLocks } from "./claim-project-locks.js";
import { recordPlanResult } from "./record-plan-result.js";
import { releaseLock } from "./release-lock.js";
import type { HclValidator } from "./ports/hcl-validator.js";
import type { ProviderSchemas } from "./ports/provider-schemas.js";
import type { RemoteBranches } from "./ports/remote-branches.js";
import type { RepoReader } from "./ports/repo-reader.js";
import type { Terraform } from "./ports/terraform.js";
import type { Workspaces } from "./ports/workspaces.js";
import { declaresBackend } from "../domain/projects/declares-backend.js";
import { couldNotPlanReply } from "../domain/render/summary-notes.js";
import { createPrRuns, prKeyOf, repoNameOf } from "./pr-runs.js";
import { createRunReporter } from "./run-reporter.js";
import { trustedBase, type TrustedBase } from "./trusted-base.js";
import { trustedProjects } from "./trusted-projects.js";
import type { Locks } from "./ports/locks.js";
import type { PlanRecord } from "./ports/plans.js";
import type { Store } from "./ports/store.js";
import { isTfgateError } from "../domain/errors.js";
import { runLogUrl } from "./run-log-url.js";
import { type RunLogs } from "./ports/run-logs.js";
import type { SummaryPublisher } from "./summary-publisher.js";

export interface PullRequestRunsDeps {
  readonly vcs: Vcs;
  readonly workspaces: Workspaces;
  /** Reads the head of the branch configuration comes from, as the remote has it now. */
  readonly branches: RemoteBranches;
  readonly terraform: Terraform;
  readonly schemas: ProviderSchemas;
  readonly validator: HclValidator;
  readonly queue: JobQueue;
  readonly newId: () => string;
  /** Each project's plan credentials (from the server's credentials file). */
  readonly credentials: ProjectCredentials;
  /** One reader per mirror, kept: its tree and scan caches make the next detection cheap. */
  readonly readerFor: (mirrorDir: string) => RepoReader;
  readonly repoKeyFor: (source: string) => string;
  readonly store: Store;
  readonly locks: Locks;
  readonly publisher: SummaryPublisher;
  readonly log: Logger;
  readonly runLogs: RunLogs;
  /**
   * True once the server is stopping: a job cancelled then is left "running" in the store, so the
   * next start's recovery marks it interrupted and tells its pull request (comment /plan).
   */
  readonly shuttingDown: () => boolean;
  readonly settings: {
    readonly gitBaseUrl: string;
    readonly webBaseUrl: string;
    readonly planDir: string;
    readonly stateDir: string;
    readonly publicUrl: string | null;
    /**
     * How long a run may take before its "queued/planning" summary and pending statuses are
     * posted. GitHub asks for a second between writes (the throttling plugin enforces it), so a
     * plan that finishes sooner gets only its final summary and statuses: fewer writes, sooner.
     */
    readonly progressDelayMs: number;
    /** Approver teams set on the server; the trusted branch's tfgate.yaml may add more. */
    readonly approverTeams: readonly string[];
    /** Bases besides the default branch that may be applied and whose configuration is trusted. */
    readonly protectedBases: readonly string[];
  };
}

export interface PlanRequest {
  /** Plan only these projects (from `/plan a b`); all affected ones otherwise. */
  readonly only?: readonly string[];
  readonly actor?: string;
  /** Where to answer the person who asked (a `/plan` comment); autoplan has nobody to answer. */
  readonly reply?: (text: string) => Promise<void>;
}

export interface PullRequestRuns {
  plan(repo: RepoRef, pr: ChangeRequest, request?: PlanRequest): Promise<void>;
  close(repo: RepoRef, pr: ChangeRequest): Promise<void>;
  unlock(repo: RepoRef, pr: number, projects: readonly string[], actor: string): Promise<string>;
  /** Re-reads reviews and updates the summary's gate column (on pull_request_review events). */
  refreshGate(repo: RepoRef, pr: number): Promise<void>;
  /** An operator released the PR's lock elsewhere (the web UI): the summary says so. */
  lockReleased(repo: RepoRef, pr: number, project: string): Promise<void>;
  /** Shows a project as applied in the summary. */
  markApplied(repo: RepoRef, pr: number, project: string, counts: PlanCounts): Promise<void>;
  /**
   * Every project of the PR's current run is applied or has nothing to apply, and at least one
   * was applied (automerge). False when tfgate does not know the run (e.g. after a restart).
   */
  everythingApplied(repo: RepoRef, pr: number): boolean;
}

export function createPullRequestRuns(deps: PullRequestRunsDeps): PullRequestRuns {
  const runs = createPrRuns();
  /** Approver teams per repository, as last read from its trusted branch (with the server's). */
  const teams = new Map<string, readonly string[]>();
  const reporter = createRunReporter({ ...deps, runs, webBaseUrl: deps.settings.webBaseUrl, teamsFor: (name) => teams.get(name) ?? deps.settings.approverTeams });
  const { publish, setStatus, updateGates } = reporter;
  const pullUrl = (repo: RepoRef, n: number) => `${deps.settings.webBaseUrl}/${repo.owner}/${repo.name}/pull/${n}`;
  /**
   * Nothing can be planned for this head: said in the summary (one comment per PR, updated by the
   * next push), the command's reply and the aggregate status; nothing is locked, queued or recorded.
   */
  const refuse = async (repo: RepoRef, pr: ChangeRequest, problems: readonly string[], reply?: (text: string) => Promise<void>) => {
    const run = runs.begin(repo, pr);
    run.problems = problems;
    await reply?.(couldNotPlanReply(pr.headSha, problems));
    await publish(repo, run);
    await deps.vcs.setStatus(repo, pr.headSha, { context: AGGREGATE_CONTEXT, state: "error", description: problems[0] ?? "invalid input" });
  };

  return {
    async plan(repo, pr, request = {}) {
      const name = repoNameOf(repo);
      const source = `${deps.settings.gitBaseUrl}/${repo.owner}/${repo.name}.git`;
      const repoKey = deps.repoKeyFor(source);
      const env = await gitFetchEnv(deps.vcs, repo, source);
      const started = Date.now();
      const ctx = { repo: name, pr: pr.number, sha: pr.headSha };
      let trust: TrustedBase;
      try {
        trust = await trustedBase(deps.branches, { source, env, base: pr.baseRef, defaultBranch: pr.defaultBranch, protectedBases: deps.settings.protectedBases });
      } catch (err) {
        if (!isTfgateError(err)) throw err;
        return refuse(repo, pr, [err.message], request.reply);
      }
      const mirror = await deps.workspaces.mirror({ repoKey, source, shas: [pr.baseSha, pr.headSha, trust.configSha], env });
      const fetchedMs = Date.now() - started;
      const reader = deps.readerFor(mirror);
      const report = await detectChanges(
        { reader, validator: deps.validator },
        { base: pr.baseSha, head: pr.headSha, config: { sha: trust.configSha, name: `the head of \`${trust.configBranch}\` (${trust.configSha.slice(0, 7)})` } },
      );
      deps.log.info(
        { ...ctx, fetchMs: fetchedMs, detectMs: Date.now() - started - fetchedMs, affected: report.status === "ok" ? report.detection.projects.map((a) => a.project.name) : null },
        "detected affected projects",
      );
      const run = runs.begin(repo, pr);
      // Plans for an older head of this pull request are obsolete.
      deps.queue.cancel((j) => j.tags["pr"] === prKeyOf(repo, pr.number) && j.tags["sha"] !== pr.headSha, `superseded by ${pr.headSha.slice(0, 12)}`);
      if (report.status === "error") return refuse(repo, pr, report.problems.map((p) => p.message), request.reply);
      run.problems = [];
      const { detection } = report;
      const chosen = chooseTargets(detection, request.only, report.headTree);
      if (chosen.status === "refused") return refuse(repo, pr, chosen.problems.map((p) => p.message), request.reply);
      if (chosen.status === "unknown") {
        await request.reply?.(chosen.message);
        return;
      }
      const targets = chosen.projects;
      run.deleted = detection.deleted;
      run.author = pr.author;
      run.trust = { configBranch: trust.configBranch, protected: trust.protected };
      teams.set(name, [...new Set([...deps.settings.approverTeams, ...report.config.apply.approver_teams])]);
      run.configChanged = detection.configChanged;

      const planned = await claimProjectLocks({ locks: deps.locks, vcs: deps.vcs, runs, pullUrl }, repo, run, targets);
      const publishAll = async () => {
        await publish(repo, run);
        for (const row of run.rows.values()) await setStatus(repo, run, row);
        await setStatus(repo, run, null);
      };
      if (planned.length === 0) {
        await publishAll();
        return;
      }
      const finished = () => [...run.rows.values()].every((r) => r.state.status !== "queued" && r.state.status !== "running");
      let progressShown = false;
      const progress = setTimeout(() => {
        if (!runs.isCurrent(run) || finished()) return;
        progressShown = true;
        void publishAll().catch((err: unknown) => deps.log.warn({ err }, "could not publish progress"));
      }, deps.settings.progressDelayMs);

      const [policy, trusted] = await Promise.all([loadPolicyContext(reader, report.configSha, report.config), trustedProjects(reader, report.configSha, report.config)]);
      const created = new Map<string, Promise<unknown>>();
      const current = () => runs.isCurrent(run);
      await planProjects(deps, {
        repo: { key: repoKey, source, name },
        sha: pr.headSha,
        targets: planned.map((project) => ({ project, localState: !declaresBackend(report.headTree, project.dir), trusted: trusted(project) })),
        planDir: deps.settings.planDir,
        stateDir: deps.settings.stateDir,
        scope: prKeyOf(repo, pr.number),
        tags: { pr: prKeyOf(repo, pr.number) },
        policy,
        fetchEnv: env,
        onQueued: (project, id) => {
          created.set(id, deps.store.jobs.create({ id, repo: name, pr: pr.number, project: project.name, headSha: pr.headSha, actor: request.actor }));
          const logUrl = runLogUrl(deps.settings.publicUrl, id);
          if (logUrl) runs.updateRow(run, project.name, { logUrl });
        },
        onOutput: (_project, line, id) => deps.runLogs.append(id, line),
        onStart: (project, id) => {
          void created.get(id)?.then(() => deps.store.jobs.transition(id, "running")).catch((err: unknown) => deps.log.warn({ err, jobId: id }, "could not record a job start"));
          if (!current()) return;
          // The row no longer shows that project's earlier plan.
          run.planIds.delete(project.name);
          runs.updateRow(run, project.name, { state: { status: "running" } });
          if (progressShown) void publish(repo, run);
        },
        onResult: (result, id) => {
          void (async () => {
            await created.get(id)?.catch(() => undefined);
            let saved: PlanRecord | null = null;
            try {
              saved = await recordPlanResult(deps, { repo: repoNameOf(repo), pr: run.pr, headSha: run.headSha, jobId: id, result });
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
            const row = runs.updateRow(run, result.project.name, { state: stateFromOutcome(result.outcome), policy: result.policy, planHash: saved?.contentHash ?? undefined });
            if (finished()) {
              clearTimeout(progress);
              await updateGates(repo, run, pr.author);
              // The summary first: it is what people wait for; statuses follow, paced by GitHub's limits.
              await publish(repo, run);
              deps.log.info({ ...ctx, sinceDeliveryMs: Date.now() - started }, "summary published");
              for (const r of run.rows.values()) await setStatus(repo, run, r);
              await setStatus(repo, run, null);
            } else {
              await publish(repo, run);
              if (row) await setStatus(repo, run, row);
            }
          })().catch((err: unknown) => deps.log.error({ err, jobId: id }, "could not report a plan"));
        },
      });
    },

    async close(repo, pr) {
      const name = repoNameOf(repo);
      deps.queue.cancel((j) => j.tags["pr"] === prKeyOf(repo, pr.number), "pull request closed");
      const released = await deps.locks.releaseAllForPr(name, pr.number);
      await deps.workspaces.removeFiles(await deps.store.plans.discardPr(name, pr.number));
      const run = runs.get(repo, pr.number) ?? (await runs.fromStore(repo, pr, deps.store));
      run.prState = pr.merged ? "merged" : "closed";
      for (const l of released) runs.updateRow(run, l.project, { lock: "not-held" });
      await publish(repo, run);
      runs.forget(repo, pr.number);
    },

    async markApplied(repo, pr, project, counts) {
      const run = runs.get(repo, pr);
      if (!run) return;
      runs.updateRow(run, project, { state: { status: "applied", counts }, gate: "applied" });
      await publish(repo, run);
      await setStatus(repo, run, null);
    },

    async lockReleased(repo, pr, project) {
      const run = runs.get(repo, pr);
      if (!run || !run.rows.has(project)) return;
      runs.updateRow(run, project, { lock: "not-held" });
      await publish(repo, run);
    },

    everythingApplied(repo, pr) {
      const states = [...(runs.get(repo, pr)?.rows.values() ?? [])].map((r) => r.state.status);
      return states.includes("applied") && states.every((s) => s === "applied" || s === "no-changes");
    },

    async refreshGate(repo, pr) {
      const run = runs.get(repo, pr);
      if (!run || !run.author) return;
      await updateGates(repo, run, run.author);
      await publish(repo, run);
    },

    async unlock(repo, pr, projects, actor) {
      const name = repoNameOf(repo);
      const held = (await deps.locks.list(name)).filter((l) => l.pr === pr).map((l) => l.project);
      const wanted = projects.length > 0 ? projects : held;
      if (wanted.length === 0) return "This pull request holds no lock.";
      const lines: string[] = [];
      for (const project of wanted) {
        const r = await releaseLock({ locks: deps.locks, audit: deps.store.audit, log: deps.log }, { repo: name, project, pr, actor, via: "comment" });
        if (r.status === "released") {
          lines.push(`- \`${project}\`: released`);
          const run = runs.get(repo, pr);
          if (run) runs.updateRow(run, project, { lock: "not-held" });
        } else if (r.status === "held") {
          lines.push(`- \`${project}\`: held by #${r.by}, not by this pull request; comment \`/unlock ${project}\` on #${r.by}`);
        } else lines.push(`- \`${project}\`: was not locked`);
      }
      const run = runs.get(repo, pr);
      if (run) await publish(repo, run);
      return lines.join("\n");
    },
  };
}
