import { projectFileName } from "../domain/projects/project-name.js";
import { DEFAULT_APPLY_CONFIG, DEFAULT_REPO_CONFIG } from "../domain/projects/repo-config.js";
import { evaluateApplyGate, type GateTarget } from "../domain/apply/apply-gate.js";
import { declaresBackend } from "../domain/projects/declares-backend.js";
import { discoverProjects, type RunSettings } from "../domain/projects/discover-projects.js";
import { APPLY_AGGREGATE_CONTEXT, applyContext } from "./plan-status.js";
import { gatherGateFacts } from "./apply-gate-facts.js";
import { applyNotification } from "./apply-notification.js";
import { buildPrContext, trustedConfig } from "./pr-context.js";
import { repoNameOf } from "./pr-run.js";
import type { PlanRecord } from "./ports/plans.js";
import type { ApplyOutcome } from "./ports/terraform.js";
import { canWrite, type Permission, type RepoRef } from "./ports/vcs.js";
import { projectPlans } from "./project-plans.js";
import type { PullRequestDeps } from "./pull-request-deps.js";
import { runLogUrl } from "./run-log-url.js";


/** What `/apply` works with (the pull-request use cases' ports and settings). */
export type ApplyDeps = Pick<
  PullRequestDeps,
  "vcs" | "credentials" | "workspaces" | "branches" | "terraform" | "queue" | "readerFor" | "repoKeyFor" | "store" | "locks" | "log" | "runLogs" | "shuttingDown" | "prStates" | "settings" | "notifier"
>;

export interface ApplyCommand {
  readonly repo: RepoRef;
  readonly pr: number;
  readonly actor: string;
  /** The actor's permission, read once when the comment arrived (not again per command). */
  readonly permission: Permission;
  /** Named projects; none means every project with a current plan. */
  readonly projects: readonly string[];
  /** Adds to the one reply to the comment (posted once every command of it has run). */
  readonly reply: (text: string) => Promise<void>;
}

const fence = (text: string) => {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const f = "`".repeat(longest + 1);
  return `${f}\n${text}\n${f}`;
};

/**
 * `/apply`: checks the gate at this moment (approval, plans, policies, lock, PR state), then
 * applies exactly the saved, reviewed plan of each target, in depends_on order.
 */
export async function applyPullRequest(deps: ApplyDeps, cmd: ApplyCommand): Promise<void> {
  const { vcs, store } = deps;
  const name = repoNameOf(cmd.repo);
  const pr = await vcs.changeRequest(cmd.repo, cmd.pr);
  // Approver teams come from the server and the default branch (or a protected base), never from
  // the PR head or a base branch its author could have made.
  const built = await buildPrContext(deps, cmd.repo, pr);
  if (built.status === "refused") {
    await cmd.reply(`**\`/apply\` refused**: nothing was applied. ${built.message}.`);
    return;
  }
  const { context } = built;
  const { reader, trust } = context;
  const config = await trustedConfig(context);
  const dependsOn = new Map((config.ok ? config.config.projects : []).map((p) => [p.name, p.depends_on]));

  const plans = new Map<string, PlanRecord>();
  for (const p of await store.plans.forPr(name, cmd.pr)) if (p.state === "current") plans.set(p.project, p);
  const wanted = cmd.projects.length > 0 ? [...new Set(cmd.projects)] : [...plans.keys()].sort();
  // A repeated /apply (or one a restart handles again) after everything applied is not a refusal.
  if (wanted.length === 0 && (await deps.prStates.everythingApplied(cmd.repo, cmd.pr))) {
    await cmd.reply(`Every plan of ${pr.headSha.slice(0, 7)} is already applied; nothing more was applied.`);
    return;
  }
  const locks = new Map((await deps.locks.list(name)).map((l) => [l.project, l.pr]));
  const plansOf = await projectPlans(store, name, cmd.pr);
  const targets: GateTarget[] = wanted.map((project) => {
    const plan = plans.get(project);
    const policy = plan?.policy?.status ?? null;
    const { history, approvalsVoidUntil } = plansOf(project);
    return {
      project,
      plan: plan
        ? { headSha: plan.headSha, outcome: plan.summary.status === "no-changes" ? "no-changes" : "changes", policy, contentHash: plan.contentHash, postedAt: plan.postedAt }
        : null,
      history,
      approvalsVoidUntil,
      lockHolder: locks.get(project) ?? null,
    };
  });

  const reviews = await vcs.reviews(cmd.repo, cmd.pr);
  const facts = await gatherGateFacts({
    vcs,
    repo: cmd.repo,
    reader,
    targets: wanted,
    serverTeams: deps.settings.approverTeams,
    floor: deps.settings.applyFloor,
    apply: config.ok ? config.config.apply : DEFAULT_APPLY_CONFIG,
    reviews,
    headSha: pr.headSha,
    // A protected base's configuration is read at its head now: that is the base to be up to date with.
    baseSha: trust.protected ? trust.configSha : pr.baseSha,
  });
  const decision = evaluateApplyGate({
    approverTeams: facts.teams,
    commenter: { login: cmd.actor, canWrite: canWrite(cmd.permission), inApproverTeam: facts.teams.length > 0 && (await facts.inTeam(cmd.actor)) },
    pr: { number: pr.number, author: pr.author, headSha: pr.headSha, state: pr.state, draft: pr.draft, mergeable: pr.mergeable },
    base: { ref: pr.baseRef, protected: trust.protected, defaultBranch: pr.defaultBranch },
    reviews,
    approverMembers: facts.approverMembers,
    requirements: facts.requirements,
    memberships: facts.memberships,
    others: facts.others,
    targets,
  });
  if (decision.status === "denied") {
    await store.audit.append({ actor: cmd.actor, action: "apply", repo: name, pr: cmd.pr, headSha: pr.headSha, result: "denied", detail: { unmet: decision.unmet.map((u) => u.code) } });
    deps.log.info({ repo: name, pr: cmd.pr, sha: pr.headSha, actor: cmd.actor, unmet: decision.unmet.map((u) => u.code) }, "apply refused by the gate");
    await cmd.reply(`**\`/apply\` refused**: nothing was applied. Every requirement not met, and what would meet it:\n\n${decision.unmet.map((u) => `- ${u.message}`).join("\n")}`);
    return;
  }

  const headTree = await reader.readTree(pr.headSha, true);
  const projectsAtHead = new Map(discoverProjects(headTree, config.ok ? config.config : DEFAULT_REPO_CONFIG).projects.map((p) => [p.name, p]));
  const done = new Map<string, boolean>();
  const remaining = new Set(decision.targets);
  while (remaining.size > 0) {
    // A layer: every target whose dependencies (among the targets) are finished.
    const layer = [...remaining].filter((p) => (dependsOn.get(p) ?? []).every((d) => !remaining.has(d)));
    const runnable = layer.length > 0 ? layer : [...remaining];
    for (const p of runnable) remaining.delete(p);
    await Promise.all(
      runnable.map(async (project) => {
        const blocked = (dependsOn.get(project) ?? []).find((d) => done.get(d) === false);
        if (blocked) {
          done.set(project, false);
          await cmd.reply(`\`${project}\` was not applied: it depends on \`${blocked}\`, whose apply did not succeed.`);
          return;
        }
        const found = projectsAtHead.get(project);
        if (found === undefined) {
          done.set(project, false);
          await cmd.reply(`\`${project}\` is not a project at ${pr.headSha.slice(0, 7)}; nothing was applied.`);
          return;
        }
        done.set(project, await applyOne(deps, cmd, { project, dir: found.dir, settings: found.run, plan: plans.get(project) as PlanRecord, approvedBy: decision.approvals[project] ?? null, repoKey: context.repoKey, source: context.source, env: context.fetchEnv, headSha: pr.headSha, localState: !declaresBackend(headTree, found.dir) }));
      }),
    );
  }
  if (config.ok && config.config.apply.automerge && [...done.values()].every(Boolean) && (await deps.prStates.everythingApplied(cmd.repo, cmd.pr))) {
    await automerge(deps, cmd, pr.headSha);
  }
}

/** Merges at exactly the applied head: if someone pushed meanwhile, GitHub refuses (409). */
async function automerge(deps: ApplyDeps, cmd: ApplyCommand, headSha: string): Promise<void> {
  const result = await deps.vcs.merge(cmd.repo, cmd.pr, headSha).catch((err: unknown) => ({ merged: false as const, reason: err instanceof Error ? err.message : String(err) }));
  await deps.store.audit.append({ actor: cmd.actor, action: "automerge", repo: repoNameOf(cmd.repo), pr: cmd.pr, headSha, result: result.merged ? "merged" : "refused", detail: result.merged ? { sha: result.sha } : { reason: result.reason } });
  await cmd.reply(
    result.merged
      ? `Every planned project is applied, so the pull request was merged (\`apply.automerge\` in tfgate.yaml).`
      : `Every planned project is applied, but the automatic merge did not happen: ${result.reason}. Merge it by hand.`,
  );
}

async function applyOne(
  deps: ApplyDeps,
  cmd: ApplyCommand,
  t: { project: string; dir: string; plan: PlanRecord; approvedBy: string | null; repoKey: string; source: string; env: Record<string, string>; headSha: string; localState: boolean; settings: RunSettings },
): Promise<boolean> {
  const name = repoNameOf(cmd.repo);
  if (!t.plan.file) {
    await cmd.reply(`\`${t.project}\`: the plan has no changes; nothing to apply.`);
    return true;
  }
  const claim = await deps.store.jobs.claimApply({ repo: name, pr: cmd.pr, project: t.project, headSha: t.headSha, planSha256: t.plan.file.sha256, actor: cmd.actor });
  if (claim.status !== "claimed") {
    const why: Record<typeof claim.status, string> = {
      "already-applying": "is already being applied",
      "already-applied": "was already applied",
      "apply-interrupted": "had an apply interrupted by a restart: check the infrastructure and the state, then comment `/plan`",
      "plan-not-current": "has a newer plan than the one checked: comment `/apply` again",
      "lock-not-held": "is no longer locked by this pull request",
    };
    await cmd.reply(`\`${t.project}\` ${why[claim.status]}; nothing more was applied.`);
    return claim.status === "already-applied";
  }
  const context = applyContext(t.project);
  await deps.vcs.setStatus(cmd.repo, t.headSha, { context, state: "pending", description: "applying the reviewed plan" }).catch(() => undefined);
  const started = Date.now();
  const result = await deps.queue.submit<ApplyOutcome>({
    id: claim.jobId,
    exclusiveKey: `${t.repoKey}/${t.project}`,
    // Not tagged with the PR: closing it must not interrupt an apply half way.
    tags: { applyPr: `${name}#${cmd.pr}`, project: t.project, kind: "apply" },
    run: async (signal): Promise<ApplyOutcome> => {
      await deps.store.jobs.transition(claim.jobId, "running");
      const credentials = deps.credentials(t.project, "apply", repoNameOf(cmd.repo));
      if (!credentials.ok) return { status: "refused", message: `the project's apply credentials are not available: ${credentials.message}`, durationMs: 0 };
      const ws = await deps.workspaces.checkout({ repoKey: t.repoKey, source: t.source, sha: t.headSha, jobId: claim.jobId, env: t.env });
      try {
        const workdir = t.dir === "" ? ws.dir : `${ws.dir}/${t.dir}`;
        return await deps.terraform.apply({
          checkoutDir: ws.dir,
          workdir,
          credentials: credentials.env,
          settings: t.settings,
          dataDir: ws.dataDir,
          tmpDir: ws.tmpDir,
          planFile: (t.plan.file as { path: string }).path,
          planSha256: (t.plan.file as { sha256: string }).sha256,
          localStatePath: t.localState ? `${deps.settings.stateDir}/${t.repoKey}/${projectFileName(t.project)}/terraform.tfstate` : undefined,
          signal,
          onOutput: (line) => deps.runLogs.append(claim.jobId, line),
        });
      } finally {
        await ws.dispose();
      }
    },
  });
  const outcome: ApplyOutcome =
    result.status === "done" ? result.value : { status: "error", reason: "failed", message: result.status === "cancelled" ? result.reason : String(result.error), output: "", durationMs: Date.now() - started };
  const ok = outcome.status === "applied";
  deps.log.info({ repo: name, pr: cmd.pr, project: t.project, job: claim.jobId, sha: t.headSha, actor: cmd.actor, result: outcome.status, durationMs: outcome.durationMs }, "apply finished");
  if (outcome.status === "error" && outcome.reason === "cancelled" && deps.shuttingDown()) {
    // tofu got SIGINT mid-apply: the infrastructure may be half-changed. The job stays "running",
    // so the next start records "apply interrupted", keeps the lock, tells the PR, re-applies nothing.
    deps.runLogs.append(claim.jobId, "tfgate: the server stopped during this apply");
    deps.runLogs.finish(claim.jobId);
    return false;
  }
  if (outcome.status === "refused") deps.runLogs.append(claim.jobId, `tfgate: ${outcome.message}`);
  await deps.store.jobs.transition(claim.jobId, ok ? "succeeded" : "failed", ok ? {} : { error: outcome.status === "error" ? outcome.message : outcome.status }).catch(() => undefined);
  // After the state is recorded: the log's followers are told the final state.
  deps.runLogs.finish(claim.jobId);
  await deps.store.audit.append({
    actor: cmd.actor,
    action: "apply",
    repo: name,
    pr: cmd.pr,
    project: t.project,
    headSha: t.headSha,
    planSha256: t.plan.file.sha256,
    result: outcome.status === "applied" ? "succeeded" : outcome.status,
    durationMs: outcome.durationMs,
    detail: { approvedBy: t.approvedBy, contentHash: t.plan.contentHash },
  });
  const counts = t.plan.summary.status === "changes" ? t.plan.summary.counts : { add: 0, change: 0, destroy: 0, replace: 0 };
  const logUrl = runLogUrl(deps.settings.publicUrl, claim.jobId);
  // Once the audit has it; queued, never awaited: a slow receiver must not hold the apply's reply.
  deps.notifier.notify(applyNotification({ repo: name, pr: cmd.pr, webBaseUrl: deps.settings.webBaseUrl, project: t.project, headSha: t.headSha, actor: cmd.actor, approvedBy: t.approvedBy, counts, logUrl, outcome }));
  if (ok) {
    await deps.workspaces.removeFiles([t.plan.file.path]);
    // The summary, this project's statuses and `tfgate/apply`, from the PR's recorded state.
    await deps.prStates.markApplied(cmd.repo, cmd.pr, t.project, counts);
  }
  const output = outcome.status === "refused" ? outcome.message : outcome.output;
  const headline =
    outcome.status === "applied"
      ? `✅ \`${t.project}\` applied (plan \`${t.plan.file.sha256.slice(0, 12)}\` of \`${t.headSha.slice(0, 7)}\`)`
      : outcome.status === "stale"
        ? `⚠️ \`${t.project}\`: the saved plan is stale (the state changed since it was made); nothing was applied. Comment \`/plan ${t.project}\`.`
        : outcome.status === "refused"
          ? `⛔ \`${t.project}\`: ${outcome.message}`
          : `❌ \`${t.project}\`: ${outcome.message}`;
  const log = logUrl ? `\n\nFull log: <${logUrl}>` : "";
  await cmd.reply(`${headline}${log}\n\n<details><summary>Output</summary>\n\n${fence(output || "(no output)")}\n\n</details>`);
  // On success markApplied has set this project's status and the aggregate from the summary's rows.
  if (!ok) await deps.vcs.setStatus(cmd.repo, t.headSha, { context, state: "failure", description: outcome.status }).catch(() => undefined);
  if (!ok) await deps.vcs.setStatus(cmd.repo, t.headSha, { context: APPLY_AGGREGATE_CONTEXT, state: "failure", description: `${t.project}: apply ${outcome.status}` }).catch(() => undefined);
  return ok;
}
