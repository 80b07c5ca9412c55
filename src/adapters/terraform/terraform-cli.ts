import { createHash } from "node:crypto";
import { chmod, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { setPriority } from "node:os";
import { dirname, join } from "node:path";
import { execa } from "execa";
import type { ApplyOutcome, PlanRequest, Terraform } from "../../app/ports.js";
import { countPlanActions, type PlanOutcome } from "../../domain/plan/plan-outcome.js";
import { planText } from "../../domain/plan/plan-text.js";

export interface TerraformOptions {
  /** `tofu` or `terraform`, a name on PATH or a path. */
  readonly binary: string;
  /** Extra environment, e.g. TF_CLI_CONFIG_FILE pointing at a provider mirror. */
  readonly env?: Readonly<Record<string, string>>;
  /** Passed as -lock-timeout so a plan waits briefly for another holder of the state lock. */
  readonly lockTimeout?: string;
  /** Wall-clock limit for a whole plan (init + plan + show). */
  readonly timeoutMs?: number;
  /** Time between SIGINT (tofu releases its state lock) and SIGKILL. */
  readonly killGraceMs?: number;
  /**
   * CPU niceness of tofu (and the providers it starts, which inherit it): plans are batch work,
   * and the server must keep answering webhooks while they run. 0 leaves it unchanged.
   */
  readonly niceness?: number;
  /**
   * Keep go-plugin's mutual TLS between tofu and its providers (default false). Each provider
   * start-up then generates a key pair and certificate on both sides, about 25 ms of CPU per
   * start, and a plan starts each provider three times. The connection is a Unix socket that tofu
   * creates in the job's own 0700 TMPDIR: only tfgate's user can reach it, and code from the pull
   * request runs as that user anyway (external data sources), so TLS guards nothing there.
   */
  readonly pluginTls?: boolean;
  /**
   * GOMAXPROCS for tofu and its providers (see goMaxProcsFor). A plan is mostly
   * sequential (tofu waits on one provider at a time); with more Go threads than the job's share
   * of the CPUs, idle threads spin and take CPU from the other jobs. Undefined leaves Go's default.
   */
  readonly goMaxProcs?: number;
}

type StepResult = { ok: true; stdout: string; all: string; exitCode: number } | { ok: false; reason: "failed" | "timeout" | "cancelled"; output: string; exitCode: number | undefined };

export function createTerraform(options: TerraformOptions): Terraform {
  const lockTimeout = options.lockTimeout ?? "60s";
  const timeoutMs = options.timeoutMs ?? 30 * 60_000;
  const killGraceMs = options.killGraceMs ?? 10_000;

  const fixedEnv: Record<string, string> = {
    ...(options.goMaxProcs !== undefined ? { GOMAXPROCS: String(options.goMaxProcs) } : {}),
    ...options.env,
    ...(options.pluginTls ? {} : { TF_DISABLE_PLUGIN_TLS: "1" }),
    TF_IN_AUTOMATION: "1",
    TF_INPUT: "0",
    CHECKPOINT_DISABLE: "1",
  };

  type StepContext = Pick<PlanRequest, "workdir" | "dataDir" | "tmpDir" | "onOutput">;
  async function step(args: string[], req: StepContext, signal: AbortSignal, timeout: AbortSignal): Promise<StepResult> {
    const sub = execa(options.binary, args, {
      cwd: req.workdir,
      env: { ...fixedEnv, TF_DATA_DIR: req.dataDir, ...(req.tmpDir ? { TMPDIR: req.tmpDir } : {}) },
      stdin: "ignore",
      all: true,
      // tofu handles SIGINT by stopping cleanly and releasing the state lock; SIGKILL only after a grace period.
      cancelSignal: signal,
      killSignal: "SIGINT",
      forceKillAfterDelay: killGraceMs,
      reject: false,
      maxBuffer: 1024 * 1024 * 1024,
      lines: false,
    });
    if (options.niceness && sub.pid !== undefined) {
      try {
        setPriority(sub.pid, options.niceness);
      } catch {
        // Not permitted (or the process already ended): run at normal priority.
      }
    }
    if (req.onOutput) {
      // Readers of a live log see which step runs (paths are the job's own, nothing secret).
      req.onOutput(`$ ${options.binary.split("/").pop() ?? "tofu"} ${args.join(" ")}`);
      // Chunks end anywhere: keep the unfinished line until its end arrives.
      let rest = "";
      sub.all?.on("data", (chunk: Buffer) => {
        const lines = (rest + chunk.toString("utf8")).split("\n");
        rest = lines.pop() ?? "";
        for (const line of lines) req.onOutput?.(line);
      });
      sub.all?.on("end", () => {
        if (rest) req.onOutput?.(rest);
      });
    }
    const r = await sub;
    if (r.isCanceled) {
      return { ok: false, reason: timeout.aborted ? "timeout" : "cancelled", output: String(r.all ?? ""), exitCode: r.exitCode };
    }
    if (r.failed && r.exitCode === undefined) {
      // The binary could not be started at all (missing, not executable).
      const cause = (r as { shortMessage?: string }).shortMessage ?? `could not run ${options.binary}`;
      return { ok: false, reason: "failed", output: `${cause}\n${String(r.all ?? "")}`, exitCode: undefined };
    }
    return { ok: true, stdout: String(r.stdout ?? ""), all: String(r.all ?? ""), exitCode: r.exitCode ?? 0 };
  }

  return {
    async plan(req) {
      const started = Date.now();
      const timeout = AbortSignal.timeout(timeoutMs);
      const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
      const elapsed = () => Date.now() - started;
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
      });

      await mkdir(dirname(req.planFile), { recursive: true, mode: 0o700 });
      if (req.localStatePath) await writeLocalBackend(req.workdir, req.localStatePath);

      const init = await step(["init", "-input=false", "-no-color"], req, signal, timeout);
      if (!init.ok) return fail(init, "init");
      if (init.exitCode !== 0) return fail({ reason: "failed", output: init.all }, "init");

      const plan = await step(
        ["plan", "-input=false", "-no-color", `-lock-timeout=${lockTimeout}`, "-detailed-exitcode", `-out=${req.planFile}`],
        req,
        signal,
        timeout,
      );
      if (!plan.ok) {
        await rm(req.planFile, { force: true });
        return fail(plan, "plan");
      }
      if (plan.exitCode !== 0 && plan.exitCode !== 2) {
        await rm(req.planFile, { force: true });
        return fail({ reason: "failed", output: plan.all }, "plan");
      }
      // Plan files hold sensitive values in clear.
      await chmod(req.planFile, 0o600);

      // The text for people is plan's own output (see planText): `show -no-color` would render
      // the same plan again at the cost of starting every provider once more.
      const json = await step(["show", "-json", req.planFile], req, signal, timeout);
      if (!json.ok) return fail(json, "show -json");
      if (json.exitCode !== 0) return fail({ reason: "failed", output: json.all }, "show -json");
      let planJson: unknown;
      try {
        planJson = JSON.parse(json.stdout);
      } catch (err) {
        return fail({ reason: "failed", output: `could not parse show -json output: ${(err as Error).message}` }, "show -json");
      }
      if (plan.exitCode === 0) {
        await rm(req.planFile, { force: true });
        return { status: "no-changes", durationMs: elapsed(), planJson };
      }
      const sha256 = createHash("sha256").update(await readFile(req.planFile)).digest("hex");
      return {
        status: "changes",
        counts: countPlanActions(planJson),
        diff: (req.withText ?? true) ? planText(plan.stdout) : null,
        plan: { path: req.planFile, sha256 },
        durationMs: elapsed(),
        planJson,
      };
    },

    async apply(req): Promise<ApplyOutcome> {
      const started = Date.now();
      const elapsed = () => Date.now() - started;
      // Exactly the reviewed file: its sha256 was recorded when the plan was made.
      let bytes: Buffer;
      try {
        bytes = await readFile(req.planFile);
      } catch {
        return { status: "refused", message: "the saved plan file is gone (the pull request was closed or replanned): comment `/plan`", durationMs: elapsed() };
      }
      const actual = createHash("sha256").update(bytes).digest("hex");
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
      const init = await step(["init", "-input=false", "-no-color"], req, signal, timeout);
      if (!init.ok) return failed(init, "init");
      if (init.exitCode !== 0) return { status: "error", reason: "failed", message: "init failed", output: init.all.trim(), durationMs: elapsed() };
      const apply = await step(["apply", "-input=false", "-no-color", `-lock-timeout=${lockTimeout}`, req.planFile], req, signal, timeout);
      if (!apply.ok) return failed(apply, "apply");
      if (apply.exitCode === 0) return { status: "applied", output: apply.all.trim(), durationMs: elapsed() };
      if (/saved plan is stale/i.test(apply.all)) return { status: "stale", output: apply.all.trim(), durationMs: elapsed() };
      return { status: "error", reason: "failed", message: "apply failed", output: apply.all.trim(), durationMs: elapsed() };
    },
  };
}

/** The file tfgate adds to a workspace of a project without a backend (the workspace is thrown away). */
export const LOCAL_BACKEND_FILE = "zz_tfgate_local_backend.tf";

async function writeLocalBackend(workdir: string, statePath: string): Promise<void> {
  await mkdir(dirname(statePath), { recursive: true, mode: 0o700 });
  const body = `# Written by tfgate: this project declares no backend, so its state lives outside the workspace.\nterraform {\n  backend "local" {\n    path = ${JSON.stringify(statePath)}\n  }\n}\n`;
  await writeFile(join(workdir, LOCAL_BACKEND_FILE), body, { mode: 0o600 });
}
