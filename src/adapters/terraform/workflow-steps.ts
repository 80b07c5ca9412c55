import type { StepReport, Workflow, WorkflowStage, WorkflowStep } from "../../domain/projects/workflow.js";
import type { StepResult } from "../runner/tofu-runner.js";

/** What a report keeps of a step's output: its end, where the errors are. */
const MAX_OUTPUT_CHARS = 16 * 1024;

/** Runs one process of a step in the stage's sandbox: tofu (`program` undefined) or `/bin/sh`; `timeout` is the step's own limit (the job's signal still applies). */
export type StepExec = (program: string | undefined, args: string[], timeout: AbortSignal) => Promise<StepResult>;

export type StageResult =
  | { readonly ok: true; readonly reports: readonly StepReport[] }
  | { readonly ok: false; readonly reports: readonly StepReport[]; readonly reason: "failed" | "timeout" | "cancelled"; readonly message: string; readonly output: string };

/**
 * The steps of one stage, in order; the first that fails stops the stage (and the project). A
 * `run:` step on a server that does not allow them fails without running, saying why.
 */
export async function runStage(stage: WorkflowStage, workflow: Workflow, exec: StepExec, options: { readonly allowRunSteps: boolean }): Promise<StageResult> {
  const reports: StepReport[] = [];
  for (const step of workflow[stage] ?? []) {
    const started = Date.now();
    const label = `workflow step \`${step.name}\` (${stage})`;
    if (step.kind === "run" && !options.allowRunSteps) {
      const output = "this tfgate server does not run `run:` steps from repositories (TFGATE_ALLOW_RUN_STEPS is off); built-in steps (fmt-check, validate) always run";
      reports.push({ name: step.name, stage, ok: false, output, durationMs: 0 });
      return { ok: false, reports, reason: "failed", message: `${label} is not allowed on this server`, output };
    }
    const timeout = AbortSignal.timeout(step.timeoutSeconds * 1000);
    const [program, args] = command(step);
    const result = await exec(program, args, timeout);
    const output = tail(result.ok ? result.all : result.output);
    const ok = result.ok && result.exitCode === 0;
    reports.push({ name: step.name, stage, ok, output, durationMs: Date.now() - started });
    if (!result.ok) {
      const what = result.reason === "timeout" ? `timed out after ${step.timeoutSeconds}s` : result.reason === "cancelled" ? "was cancelled" : "could not run";
      return { ok: false, reports, reason: result.reason, message: `${label} ${what}`, output };
    }
    if (!ok) return { ok: false, reports, reason: "failed", message: `${label} failed (exit code ${result.exitCode})`, output };
  }
  return { ok: true, reports };
}

function command(step: WorkflowStep): [string | undefined, string[]] {
  if (step.kind === "run") return ["/bin/sh", ["-c", step.command]];
  return step.name === "fmt-check" ? [undefined, ["fmt", "-check", "-diff", "-no-color"]] : [undefined, ["validate", "-no-color"]];
}

function tail(text: string): string {
  const trimmed = text.trim();
  return trimmed.length <= MAX_OUTPUT_CHARS ? trimmed : `…${trimmed.slice(-MAX_OUTPUT_CHARS)}`;
}
