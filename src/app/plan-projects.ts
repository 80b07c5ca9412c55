import { projectFileName } from "../domain/projects/project-name.js";
import type { Project } from "../domain/projects/discover-projects.js";
import type { PlanOutcome } from "../domain/plan/plan-outcome.js";
import { policyError, type PolicyResult } from "../domain/policy/policy-result.js";
import type { JobQueue, JobShare } from "./job-queue.js";
import { judgePlan } from "./judge-plan.js";
import type { PolicyContext } from "./load-policy-context.js";
import type { ProviderSchemas } from "./ports/provider-schemas.js";
import type { RegoEngine } from "./ports/rego-engine.js";
import type { Terraform } from "./ports/terraform.js";
import type { Workspaces } from "./ports/workspaces.js";
import type { CredentialsResult, ProjectCredentials } from "../domain/project-credentials.js";

export interface PlanTarget {
  readonly project: Project;
  /** The project declares no backend: tfgate keeps its state in a local backend under stateDir. */
  readonly localState: boolean;
  /** The project exists on the trusted branch (see DetectReport.trusted): only then credentials. */
  readonly trusted: boolean;
}

export interface ProjectPlan {
  readonly project: Project;
  readonly outcome: PlanOutcome;
  /** null when the plan failed (nothing to judge) or no policy context was given. */
  readonly policy: PolicyResult | null;
}

export interface PlanProjectsDeps {
  readonly workspaces: Workspaces;
  readonly terraform: Terraform;
  readonly schemas: ProviderSchemas;
  readonly rego: RegoEngine;
  readonly queue: JobQueue;
  readonly newId: () => string;
  /** Each project's plan credentials (from the server's credentials file). */
  readonly credentials: ProjectCredentials;
}

export interface PlanProjectsInput {
  /** `key` names the repository in paths and locks; `source` is where to fetch it from. */
  readonly repo: { readonly key: string; readonly source: string; /** `owner/name`, for credentials scoped to repositories. */ readonly name?: string };
  readonly sha: string;
  readonly targets: readonly PlanTarget[];
  /** Saved plans go under here (kept for apply). */
  readonly planDir: string;
  readonly stateDir: string;
  /** Runs with the same scope supersede each other per project (e.g. one pull request). */
  readonly scope: string;
  readonly tags?: Readonly<Record<string, string>>;
  /** The queue priority of these jobs (see JobSpec.priority); default 0. */
  readonly priority?: number;
  /** Caps how many of these jobs run at once (see JobSpec.share). */
  readonly share?: JobShare;
  /**
   * Policies from the base ref; each plan is judged in its job, before the workspace goes. A
   * promise lets reading them overlap the plans; if it fails, each plan's policy result says so.
   */
  readonly policy?: PolicyContext | Promise<PolicyContext>;
  /** Lines of tofu output as they come (for live logs), with the job they belong to. */
  readonly onOutput?: (project: Project, line: string, jobId: string) => void;
  /** Called when a project's job is created (queued) and when it starts running. */
  readonly onQueued?: (project: Project, jobId: string) => void;
  readonly onStart?: (project: Project, jobId: string) => void;
  readonly onResult?: (result: ProjectPlan, jobId: string) => void;
  /** Extra environment for fetching the repository (credentials as a header). */
  readonly fetchEnv?: Readonly<Record<string, string>>;
  /** Render each diff as text (default true); the CLI's --json output has no use for it. */
  readonly withText?: boolean;
}

/** Plans each target in its own workspace at the exact commit, in parallel within the queue's limit. */
export async function planProjects(deps: PlanProjectsDeps, input: PlanProjectsInput): Promise<ProjectPlan[]> {
  return Promise.all(
    input.targets.map(async ({ project, localState, trusted }) => {
      const id = deps.newId();
      /** The result, once reported: a cancellation arriving during clean-up does not change it. */
      let reported: ProjectPlan | null = null;
      input.onQueued?.(project, id);
      const result = await deps.queue.submit<{ outcome: PlanOutcome; policy: PolicyResult | null }>({
        id,
        exclusiveKey: `${input.repo.key}/${project.name}`,
        supersedeKey: `${input.scope}/${project.name}`,
        tags: { ...input.tags, repo: input.repo.key, project: project.name, sha: input.sha, kind: "plan" },
        priority: input.priority,
        ...(input.share ? { share: input.share } : {}),
        run: async (signal) => {
          input.onStart?.(project, id);
          const credentials = credentialsFor(deps.credentials, project, trusted, input.repo.name);
          if (!credentials.ok) {
            // Reported on the project's row: an operator's mistake, not the pull request's.
            const outcome: PlanOutcome = { status: "error", reason: "failed", message: "the project's plan credentials are not available", diagnostics: credentials.message, durationMs: 0 };
            reported = { project, outcome, policy: null };
            input.onResult?.(reported, id);
            return { outcome, policy: null };
          }
          const workspace = await deps.workspaces.checkout({ repoKey: input.repo.key, source: input.repo.source, sha: input.sha, jobId: id, env: input.fetchEnv });
          const workdir = project.dir === "" ? workspace.dir : `${workspace.dir}/${project.dir}`;
          try {
            const outcome = await deps.terraform.plan({
              checkoutDir: workspace.dir,
              workdir,
              credentials: credentials.env,
              settings: project.run,
              dataDir: workspace.dataDir,
              tmpDir: workspace.tmpDir,
              planFile: `${input.planDir}/${input.repo.key}/${input.sha}/${projectFileName(project.name)}.tfplan`,
              localStatePath: localState ? `${input.stateDir}/${input.repo.key}/${projectFileName(project.name)}/terraform.tfstate` : undefined,
              withText: input.withText ?? true,
              signal,
              onOutput: input.onOutput ? (line) => input.onOutput?.(project, line, id) : undefined,
            });
            // A failed plan has nothing to judge (null), whatever the policies' state.
            const policy =
              input.policy && outcome.status !== "error"
                ? await judgeWith(input.policy, (context) => judgePlan({ schemas: deps.schemas, rego: deps.rego, policy: context, project, outcome, workspace, workdir, signal, credentials: credentials.env }))
                : null;
            // Reported before the workspace is removed (two git processes and a tree to delete):
            // people wait for the result, not for the clean-up. The job still ends after it.
            if (!signal.aborted) {
              reported = { project, outcome, policy };
              input.onResult?.(reported, id);
            }
            return { outcome, policy };
          } finally {
            await workspace.dispose();
          }
        },
      });
      if (reported) return reported;
      if (result.status === "done") {
        const planned = { project, ...result.value };
        input.onResult?.(planned, id);
        return planned;
      }
      const outcome: PlanOutcome =
        result.status === "cancelled"
            ? { status: "error", reason: "cancelled", message: `plan cancelled: ${result.reason}`, diagnostics: "", durationMs: 0 }
            : { status: "error", reason: "failed", message: `plan could not run: ${errorMessage(result.error)}`, diagnostics: "", durationMs: 0 };
      const planned = { project, outcome, policy: null };
      input.onResult?.(planned, id);
      return planned;
    }),
  );
}

/**
 * A project the pull request adds (not on the trusted branch) gets no credentials: a name is the
 * PR author's choice. When the credentials file has some for that name, the plan is refused
 * (it would fail without them, confusingly), saying why.
 */
function credentialsFor(credentials: ProjectCredentials, project: Project, trusted: boolean, repo: string | undefined): CredentialsResult {
  const found = credentials(project.name, "plan", repo);
  if (trusted) return found;
  if (found.ok && Object.keys(found.env).length === 0) return found;
  return {
    ok: false,
    message:
      `${project.name} (${project.dir}) is not on the branch tfgate trusts (the default branch, or a protected base), so it gets no credentials from the credentials file, ` +
      "although entries there match its name. Merge the project first (for example without resources), then plan its resources in a new pull request.",
  };
}

async function judgeWith(policy: PolicyContext | Promise<PolicyContext>, judge: (context: PolicyContext) => Promise<PolicyResult | null>): Promise<PolicyResult | null> {
  let context: PolicyContext;
  try {
    context = await policy;
  } catch (err) {
    return policyError("policies/", `could not be read: ${errorMessage(err)}`);
  }
  return judge(context);
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
