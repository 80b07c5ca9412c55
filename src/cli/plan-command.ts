import { loadPolicyContext } from "../app/load-policy-context.js";
import { planProjects, type ProjectPlan } from "../app/plan-projects.js";
import { trustedProjects } from "../app/trusted-projects.js";
import type { PlanEngine } from "../compose/plan-engine.js";
import { repoKeyFor } from "../compose/plan-engine.js";
import { compareText } from "../domain/compare-text.js";
import { declaresBackend } from "../domain/projects/declares-backend.js";
import { findEscapingLinks } from "../domain/projects/escaping-links.js";
import { ZERO_COUNTS } from "../domain/plan/plan-outcome.js";
import type { PolicyResult } from "../domain/policy/policy-result.js";
import { renderPolicyTable } from "../domain/policy/render-policy.js";
import { EXIT, type CliIo, type ExitCode } from "./cli-io.js";
import { runDetection, type DetectArgs } from "./detect-command.js";
import { textTable } from "./text-table.js";

export interface PlanArgs extends DetectArgs {
  /** Plan these projects instead of the affected ones. */
  readonly projects: readonly string[];
}

export async function planCommand(engine: PlanEngine, io: CliIo, args: PlanArgs): Promise<ExitCode> {
  // Every job checks out the head commit: the first checkout runs while detection does. An
  // unknown ref is left to detection to report.
  const repo = { key: repoKeyFor(args.repo), source: args.repo };
  const preparing = engine
    .readerFor(args.repo)
    .resolveRefs([args.head])
    .then(([sha]) => engine.workspaces.prepare({ repoKey: repo.key, source: repo.source, sha: sha as string }))
    .catch(() => undefined);
  try {
    return await planDetected(engine, io, args, repo);
  } finally {
    await preparing;
    await engine.workspaces.discardPrepared();
  }
}

async function planDetected(engine: PlanEngine, io: CliIo, args: PlanArgs, repo: { key: string; source: string }): Promise<ExitCode> {
  const report = await runDetection(engine, io, args);
  if (!report) return EXIT.invalidInput;
  const { detection } = report;

  let chosen = detection.projects.map((a) => a.project);
  if (args.projects.length > 0) {
    const byName = new Map(detection.allProjects.map((p) => [p.name, p]));
    const unknown = args.projects.filter((n) => !byName.has(n));
    if (unknown.length > 0) {
      const valid = detection.allProjects.map((p) => p.name).join(", ") || "(none)";
      io.err(`tfgate: unknown project${unknown.length > 1 ? "s" : ""} ${unknown.map((n) => `"${n}"`).join(", ")}; projects at ${args.head}: ${valid}\n`);
      return EXIT.invalidInput;
    }
    chosen = [...new Set(args.projects)].map((n) => byName.get(n)).filter((p) => p !== undefined);
    // Detection checked the affected projects' links; a named project it did not reach is read all the same.
    const affected = new Set(detection.projects.map((a) => a.project.name));
    const problems = findEscapingLinks(report.headTree, chosen.filter((p) => !affected.has(p.name)));
    if (problems.length > 0) {
      for (const p of problems) io.err(`tfgate: ${p.message}\n`);
      return EXIT.invalidInput;
    }
  }

  // Policies come from the base ref, like tfgate.yaml: the change cannot weaken what judges it.
  // They are read while the plans start; a plan waits for them only once it is made.
  const policy = loadPolicyContext(engine.readerFor(args.repo), report.configSha, report.config);
  policy.catch(() => undefined); // reported in each project's policy result
  if (chosen.length === 0) await policy; // nothing to plan: a failure to read them is the run's
  const trusted = chosen.length === 0 ? () => false : await trustedProjects(engine.readerFor(args.repo), report.configSha, report.config);
  const results = await planProjects(engine, {
    repo,
    sha: report.headSha,
    targets: chosen.map((project) => ({ project, localState: !declaresBackend(report.headTree, project.dir), trusted: trusted(project) })),
    planDir: engine.planDir,
    stateDir: engine.stateDir,
    scope: `cli/${args.repo}`,
    policy,
    withText: !args.json,
  });
  results.sort((a, b) => compareText(a.project.name, b.project.name));

  if (args.json) io.out(`${JSON.stringify({ headSha: report.headSha, projects: results.map(toJson), deleted: detection.deleted })}\n`);
  else printPlans(io, results, detection.projects.length === 0 && args.projects.length === 0);
  // A policy that failed, or could not be evaluated, fails the run: nothing passes silently.
  const failed = results.some((r) => r.outcome.status === "error" || (r.policy !== null && r.policy.status !== "passed"));
  return failed ? EXIT.planFailed : EXIT.ok;
}

function toJson({ project, outcome, policy }: ProjectPlan) {
  const counts = outcome.status === "changes" ? outcome.counts : ZERO_COUNTS;
  return {
    name: project.name,
    dir: project.dir,
    status: outcome.status,
    ...counts,
    planFile: outcome.status === "changes" ? outcome.plan.path : null,
    planSha256: outcome.status === "changes" ? outcome.plan.sha256 : null,
    error: outcome.status === "error" ? `${outcome.message}${outcome.diagnostics ? `\n${outcome.diagnostics}` : ""}` : null,
    durationMs: outcome.durationMs,
    policy: policyJson(policy),
  };
}

function policyJson(policy: PolicyResult | null) {
  if (policy === null) return null;
  if (policy.status === "error") return { status: policy.status, violations: [], warnings: [], errors: policy.errors };
  return { status: policy.status, violations: policy.status === "failed" ? policy.violations : [], warnings: policy.warnings };
}

function printPlans(io: CliIo, results: readonly ProjectPlan[], nothingAffected: boolean): void {
  if (nothingAffected) {
    io.out("No project is affected: nothing to plan.\n");
    return;
  }
  for (const { project, outcome } of results) {
    if (outcome.status === "changes") io.out(`\n=== ${project.name} (${project.dir}) ===\n${(outcome.diff ?? "").trimEnd()}\n`);
    if (outcome.status === "error") io.out(`\n=== ${project.name} (${project.dir}): ${outcome.message} ===\n${outcome.diagnostics}\n`);
  }
  const rows = results.map(({ project, outcome, policy }) => {
    const c = outcome.status === "changes" ? outcome.counts : ZERO_COUNTS;
    return [project.name, outcome.status, c.add, c.change, c.destroy, c.replace, policy?.status ?? "-", `${(outcome.durationMs / 1000).toFixed(1)}s`];
  });
  io.out(`\n${textTable(["PROJECT", "STATUS", "+ADD", "~CHANGE", "-DESTROY", "±REPLACE", "POLICY", "TIME"], rows)}\n`);
  const judged = results.flatMap((r) => (r.policy ? [{ project: r.project.name, result: r.policy }] : []));
  if (judged.length > 0) io.out(`\nPolicies (from the base ref):\n\n${renderPolicyTable(judged)}\n`);
  if (results.some((r) => r.outcome.status === "changes" && (r.outcome.counts.destroy > 0 || r.outcome.counts.replace > 0))) {
    io.out("\nWARNING: some plans destroy or replace resources; read them before applying.\n");
  }
}
