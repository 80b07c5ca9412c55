import { createHash } from "node:crypto";
import { lstat, mkdir, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { ApplyOutcome, PlanRequest, Terraform } from "../../app/ports/terraform.js";
import { countPlanActions, type PlanOutcome } from "../../domain/plan/plan-outcome.js";
import { DEFAULT_RUN_SETTINGS, type RunSettings } from "../../domain/projects/discover-projects.js";
import { DEFAULT_WORKSPACE, type TerraformBinaryName } from "../../domain/projects/repo-config.js";
import { EMPTY_WORKFLOW, type StepReport, type WorkflowStage } from "../../domain/projects/workflow.js";
import { runStage, type StageResult } from "./workflow-steps.js";
import type { Mounts } from "../runner/sandbox.js";
import { readRegularFile } from "../runner/read-regular-file.js";
import type { StepResult, TofuRunner } from "../runner/tofu-runner.js";

/** A saved plan larger than this is refused (an AWS plan of thousands of resources is tens of MB). */
const MAX_PLAN_BYTES = 1024 * 1024 * 1024;

export interface TerraformOptions {
  /** Starts every tofu process, in the sandbox. */
  readonly runner: TofuRunner;
  /** The runner of a project that asks for `tofu` or `terraform` by name (default: `runner` for all). */
  readonly runnerFor?: (binary: TerraformBinaryName) => TofuRunner;
  /** Passed as -lock-timeout so a plan waits briefly for another holder of the state lock. */
  readonly lockTimeout?: string;
  /** Wall-clock limit for a whole plan (init + plan + show). */
  readonly timeoutMs?: number;
  /** Whether repositories' workflows may run `run:` commands (built-in steps always run). */
  readonly allowRunSteps?: boolean;
}

/**
 * Plans and applies through the sandboxed runner. Each step sees only what it needs: init writes
 * the job's TF_DATA_DIR (providers from the mirror); plan runs the pull request's code and may
 * write its checkout, but sees TF_DATA_DIR read-only, so no later step runs a provider it swapped;
 * the plan file is written into the job's TMPDIR and copied out by tfgate (never following a link)
 * once the process is gone, and its sha256 is computed outside. `show` reads that saved copy,
 * mounted read-only. Apply mounts the reviewed file read-only after checking its sha256.
 */
export function createTerraform(options: TerraformOptions): Terraform {
  const lockTimeout = options.lockTimeout ?? "60s";
  const timeoutMs = options.timeoutMs ?? 30 * 60_000;
  const runnerOf = (req: { readonly settings?: RunSettings | undefined }): TofuRunner => {
    const binary = req.settings?.binary;
    return binary && options.runnerFor ? options.runnerFor(binary) : options.runner;
  };

  type StepContext = Pick<PlanRequest, "checkoutDir" | "workdir" | "dataDir" | "tmpDir" | "onOutput" | "credentials" | "settings">;
  function step(args: string[], req: StepContext, mounts: Mounts, signal: AbortSignal, timeout: AbortSignal, log = true, extra?: { program?: string; env?: Record<string, string> }): Promise<StepResult> {
    return runnerOf(req).run({
      ...(extra?.program === undefined ? {} : { program: extra.program }),
      args,
      cwd: req.workdir,
      mounts,
      tmpDir: req.tmpDir,
      // The repository's non-secret variables first: the server's credentials win on a clash.
      env: { ...req.settings?.env, ...extra?.env, TF_DATA_DIR: req.dataDir, ...req.credentials },
      signal,
      timeout,
      onOutput: log ? req.onOutput : undefined,
    });
  }
  /** The job's own paths; the project's local state only when tfgate keeps it (no backend). */
  const stateDirOf = (localStatePath: string | undefined) => (localStatePath ? [dirname(localStatePath)] : []);

  /** A workflow stage's steps, in the stage's sandbox with its credentials; each under its own time limit too. */
  function stage(name: WorkflowStage, req: StepContext, mounts: Mounts, signal: AbortSignal, env?: Record<string, string>): Promise<StageResult> {
    const workflow = req.settings?.workflow ?? EMPTY_WORKFLOW;
    return runStage(name, workflow, (program, args, stepTimeout) => step(args, req, mounts, AbortSignal.any([signal, stepTimeout]), stepTimeout, true, { ...(program === undefined ? {} : { program }), ...(env ? { env } : {}) }), {
      allowRunSteps: options.allowRunSteps ?? false,
    });
  }

  /**
   * init with the project's backend config, then its workspace selected (created when new: for
   * tfgate's local state, by making its directory here, so the step never writes the state).
   */
  async function initStep(req: StepContext & { localStatePath?: string | undefined }, mounts: Mounts, signal: AbortSignal, timeout: AbortSignal): Promise<StepResult> {
    const settings = req.settings ?? DEFAULT_RUN_SETTINGS;
    const init = await step(["init", "-input=false", "-no-color", ...backendConfigArgs(settings)], req, mounts, signal, timeout);
    if (!init.ok || init.exitCode !== 0 || settings.workspace === DEFAULT_WORKSPACE) return init;
    if (req.localStatePath) await mkdir(join(dirname(req.localStatePath), WORKSPACE_DIR, settings.workspace), { recursive: true, mode: 0o700 });
    return step(["workspace", "select", "-or-create", settings.workspace], req, mounts, signal, timeout);
  }

  return {
    async plan(req) {
      const started = Date.now();
      const timeout = AbortSignal.timeout(timeoutMs);
      const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
      const elapsed = () => Date.now() - started;
      const reports: StepReport[] = [];
      const steps = () => (reports.length > 0 ? { steps: [...reports] } : {});
      const fail = (r: Extract<StepResult, { ok: false }> | { reason: "failed"; output: string }, what: string): PlanOutcome => ({
        status: "error",
        reason: r.reason,
        message:
          r.reason === "timeout"
            ? `${what} timed out after ${Math.round(timeoutMs / 1000)}s`
            : r.reason === "cancelled"
              ? `${what} was cancelled (superseded by a newer run)`
              : `${what} failed`,
        diagnostics: r.output.trim(),
        durationMs: elapsed(),
        ...steps(),
      });
      /** Runs a stage's steps; a PlanOutcome when one failed. */
      const stageFailed = async (name: WorkflowStage, mounts: Mounts, env?: Record<string, string>): Promise<PlanOutcome | null> => {
        const r = await stage(name, req, mounts, signal, env);
        reports.push(...r.reports);
        return r.ok ? null : { status: "error", reason: r.reason, message: r.message, diagnostics: r.output, durationMs: elapsed(), ...steps() };
      };

      await mkdir(dirname(req.planFile), { recursive: true, mode: 0o700 });
      if (req.localStatePath) await writeLocalBackend(req.workdir, req.localStatePath);
      const state = stateDirOf(req.localStatePath);

      // The project's local state is read-only until an apply: a pull request nobody reviewed
      // must not be able to change the state that reviewed applies build on. Its plan then takes
      // no state lock (the lock file lives beside the state); the job queue already runs one job
      // per project at a time. A remote backend keeps its own locking.
      const initMounts: Mounts = { readWrite: [req.checkoutDir, req.dataDir], readOnly: state };
      // Workflow steps never write TF_DATA_DIR: a `run:` step may run the pull request's scripts,
      // and a provider it swapped there would run in `show` and `providers schema`, the steps
      // tfgate trusts. Before init there is nothing in it to see.
      const beforeInit = await stageFailed("before_init", { readWrite: [req.checkoutDir], readOnly: state });
      if (beforeInit) return beforeInit;
      const init = await initStep(req, initMounts, signal, timeout);
      if (!init.ok) return fail(init, "init");
      if (init.exitCode !== 0) return fail({ reason: "failed", output: init.all }, "init");
      const planMounts: Mounts = { readWrite: [req.checkoutDir], readOnly: [req.dataDir, ...state] };
      const afterInit = (await stageFailed("after_init", planMounts)) ?? (await stageFailed("before_plan", planMounts));
      if (afterInit) return afterInit;

      // Written inside the sandbox, in the job's TMPDIR; copied out once the step has ended.
      const outDir = join(req.tmpDir, "out");
      const innerPlan = join(outDir, "tfgate.tfplan");
      await mkdir(outDir, { recursive: true, mode: 0o700 });
      const plan = await step(
        [
          "plan",
          "-input=false",
          "-no-color",
          ...(req.localStatePath ? ["-lock=false"] : [`-lock-timeout=${lockTimeout}`]),
          ...(req.settings?.varFiles ?? []).map((f) => `-var-file=${f}`),
          "-detailed-exitcode",
          `-out=${innerPlan}`,
        ],
        req,
        planMounts,
        signal,
        timeout,
      );
      if (!plan.ok) return fail(plan, "plan");
      if (plan.exitCode !== 0 && plan.exitCode !== 2) return fail({ reason: "failed", output: plan.all }, "plan");

      // The sandbox's processes are gone (its PID namespace ended with the step): nothing can
      // change the file now. A link or anything but a regular file is refused, not followed.
      // Only the last component is opened without following links: `out` itself must still be
      // the directory tfgate made (its parent, the job's TMPDIR, was the mount point: unswappable).
      const outStat = await lstat(outDir).catch(() => null);
      const saved = outStat?.isDirectory() ? await readRegularFile(innerPlan, MAX_PLAN_BYTES) : ({ ok: false, message: `${outDir} was replaced during the plan` } as const);
      await rm(outDir, { recursive: true, force: true });
      if (!saved.ok) return fail({ reason: "failed", output: `the plan file tofu wrote could not be read: ${saved.message}` }, "plan");
      // Plan files hold sensitive values in clear: 0600, outside every sandbox.
      await writeFile(req.planFile, saved.bytes, { mode: 0o600 });
      const sha256 = createHash("sha256").update(saved.bytes).digest("hex");

      // Everything people and policies see comes from the saved file itself, mounted read-only in
      // sandboxes where no code of the pull request runs (providers come from TF_DATA_DIR, which
      // init filled from the mirror and the plan could not write): the text of `plan`'s own output
      // could differ from the file a process of the plan swapped in before tofu exited. Both shows
      // run side by side. The JSON holds sensitive values in clear: never in a log.
      const name = runnerOf(req).binary.split("/").pop() ?? "tofu";
      req.onOutput?.(`$ ${name} show -json (output not logged: it holds sensitive values in clear)`);
      const showMounts: Mounts = { readWrite: [], readOnly: [req.checkoutDir, req.dataDir, req.planFile, ...state] };
      const wantText = plan.exitCode === 2 && (req.withText ?? true);
      const [json, text] = await Promise.all([
        step(["show", "-json", req.planFile], req, showMounts, signal, timeout, false),
        wantText ? step(["show", "-no-color", req.planFile], req, showMounts, signal, timeout, false) : null,
      ]);
      if (!json.ok) return fail(json, "show -json");
      if (json.exitCode !== 0) return fail({ reason: "failed", output: json.all }, "show -json");
      if (text && !text.ok) return fail(text, "show");
      if (text && text.exitCode !== 0) return fail({ reason: "failed", output: text.all }, "show");
      let planJson: unknown;
      try {
        planJson = JSON.parse(json.stdout);
      } catch (err) {
        return fail({ reason: "failed", output: `could not parse show -json output: ${(err as Error).message}` }, "show -json");
      }
      if ((req.settings?.workflow.after_plan ?? []).length > 0) {
        // PLANFILE (read-only) and SHOWFILE (the plan as JSON, in the job's TMPDIR) for checks
        // such as conftest; the JSON holds sensitive values in clear, like the plan file.
        // TMPDIR was the plan's, whose code may have left a link here to a file tfgate can write:
        // remove whatever is there (the plan's processes are gone) and create the file anew.
        const showFile = join(req.tmpDir, "show.json");
        await rm(showFile, { force: true, recursive: true });
        await writeFile(showFile, json.stdout, { mode: 0o600, flag: "wx" });
        const afterPlan = await stageFailed("after_plan", showMounts, { PLANFILE: req.planFile, SHOWFILE: showFile });
        if (afterPlan) {
          await rm(req.planFile, { force: true });
          return afterPlan;
        }
      }
      if (plan.exitCode === 0) {
        await rm(req.planFile, { force: true });
        return { status: "no-changes", durationMs: elapsed(), planJson, ...steps() };
      }
      return {
        status: "changes",
        counts: countPlanActions(planJson),
        diff: text ? text.stdout : null,
        plan: { path: req.planFile, sha256 },
        durationMs: elapsed(),
        planJson,
        ...steps(),
      };
    },

    async apply(req): Promise<ApplyOutcome> {
      const started = Date.now();
      const elapsed = () => Date.now() - started;
      // Exactly the reviewed file: its sha256 was recorded when the plan was made. It lives in
      // tfgate's data directory, which no sandbox can reach, so it cannot change after this check.
      const saved = await readRegularFile(req.planFile, MAX_PLAN_BYTES);
      if (!saved.ok) {
        return { status: "refused", message: "the saved plan file is gone (the pull request was closed or replanned): comment `/plan`", durationMs: elapsed() };
      }
      const actual = createHash("sha256").update(saved.bytes).digest("hex");
      if (actual !== req.planSha256) {
        return {
          status: "refused",
          message: `the saved plan's sha256 is ${actual}, not ${req.planSha256} as recorded when it was planned: the file changed after review, so nothing was applied`,
          durationMs: elapsed(),
        };
      }
      const timeout = AbortSignal.timeout(timeoutMs);
      const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
      const failed = (r: Extract<StepResult, { ok: false }>, what: string): ApplyOutcome => ({
        status: "error",
        reason: r.reason,
        message: r.reason === "timeout" ? `${what} timed out after ${Math.round(timeoutMs / 1000)}s` : r.reason === "cancelled" ? `${what} was cancelled` : `${what} failed`,
        output: r.output.trim(),
        durationMs: elapsed(),
      });
      if (req.localStatePath) await writeLocalBackend(req.workdir, req.localStatePath);
      const mounts: Mounts = { readWrite: [req.checkoutDir, req.dataDir, ...stateDirOf(req.localStatePath)], readOnly: [req.planFile] };
      const init = await initStep(req, mounts, signal, timeout);
      if (!init.ok) return failed(init, "init");
      if (init.exitCode !== 0) return { status: "error", reason: "failed", message: "init failed", output: init.all.trim(), durationMs: elapsed() };
      // As for plans: steps read TF_DATA_DIR and the state, never write them (apply runs those providers next).
      const stepMounts: Mounts = { readWrite: [req.checkoutDir], readOnly: [req.dataDir, req.planFile, ...stateDirOf(req.localStatePath)] };
      const before = await stage("before_apply", req, stepMounts, signal, { PLANFILE: req.planFile });
      if (!before.ok) return { status: "error", reason: before.reason, message: `${before.message}; nothing was applied`, output: before.output, durationMs: elapsed() };
      const apply = await step(["apply", "-input=false", "-no-color", `-lock-timeout=${lockTimeout}`, req.planFile], req, mounts, signal, timeout);
      if (!apply.ok) return failed(apply, "apply");
      if (apply.exitCode === 0) {
        // The infrastructure changed whatever an after_apply step says: still "applied", with its failure in the output.
        const after = await stage("after_apply", req, stepMounts, signal);
        const note = after.ok ? "" : `\n\ntfgate: ${after.message} after the apply succeeded:\n${after.output}`;
        return { status: "applied", output: `${apply.all.trim()}${note}`, durationMs: elapsed() };
      }
      if (/saved plan is stale/i.test(apply.all)) return { status: "stale", output: apply.all.trim(), durationMs: elapsed() };
      return { status: "error", reason: "failed", message: "apply failed", output: apply.all.trim(), durationMs: elapsed() };
    },
  };
}

/** The file tfgate adds to a workspace of a project without a backend (the workspace is thrown away). */
export const LOCAL_BACKEND_FILE = "zz_tfgate_local_backend.tf";

/** Where the local backend keeps non-default workspaces' states, beside the default one. */
const WORKSPACE_DIR = "terraform.tfstate.d";

function backendConfigArgs(settings: RunSettings): string[] {
  return [...settings.backendConfig.files.map((f) => `-backend-config=${f}`), ...Object.entries(settings.backendConfig.values).map(([k, v]) => `-backend-config=${k}=${v}`)];
}

async function writeLocalBackend(workdir: string, statePath: string): Promise<void> {
  await mkdir(dirname(statePath), { recursive: true, mode: 0o700 });
  const workspaces = join(dirname(statePath), WORKSPACE_DIR);
  const body = `# Written by tfgate: this project declares no backend, so its state lives outside the workspace.\nterraform {\n  backend "local" {\n    path          = ${JSON.stringify(statePath)}\n    workspace_dir = ${JSON.stringify(workspaces)}\n  }\n}\n`;
  await writeFile(join(workdir, LOCAL_BACKEND_FILE), body, { mode: 0o600 });
}
