import type { PlanOutcome } from "../../domain/plan/plan-outcome.js";
import type { RunSettings } from "../../domain/projects/discover-projects.js";

export interface PlanRequest {
  /** The workspace's checkout root (modules outside the project directory live there too). */
  readonly checkoutDir: string;
  /** The project directory inside a workspace. */
  readonly workdir: string;
  readonly dataDir: string;
  /** The job's private temporary directory (TMPDIR for tofu and its providers). */
  readonly tmpDir: string;
  /** Where to save the plan file (a 0700 directory outside the workspace). */
  readonly planFile: string;
  /**
   * For projects that declare no backend: keep state in a local backend at this path, outside the
   * workspace, so it survives from one job to the next. Projects with a backend are left alone.
   */
  readonly localStatePath?: string;
  /** The project's plan credentials: the only variables besides tfgate's fixed ones and `settings.env`. */
  readonly credentials?: Readonly<Record<string, string>>;
  /** The project's workspace, var files, backend config and non-secret environment (default: none). */
  readonly settings?: RunSettings;
  readonly signal?: AbortSignal;
  /** Keep the plan's text for people; false when nobody reads it (CLI --json). */
  readonly withText?: boolean;
  /** Lines of tofu output as they come, for live logs. */
  readonly onOutput?: (line: string) => void;
}

export interface ApplyRequest {
  readonly checkoutDir: string;
  readonly workdir: string;
  readonly dataDir: string;
  readonly tmpDir: string;
  /** The saved plan that was reviewed, and the sha256 recorded when it was made. */
  readonly planFile: string;
  readonly planSha256: string;
  readonly localStatePath?: string;
  /** The project's apply credentials. */
  readonly credentials?: Readonly<Record<string, string>>;
  /** As planned: an apply selects the same workspace and passes the same backend config. */
  readonly settings?: RunSettings;
  readonly signal?: AbortSignal;
  readonly onOutput?: (line: string) => void;
}

/** The result of applying a saved plan; never a fresh plan. */
export type ApplyOutcome =
  | { readonly status: "applied"; readonly output: string; readonly durationMs: number }
  /** The file is not the one that was reviewed (sha256 differs) or is gone: nothing ran. */
  | { readonly status: "refused"; readonly message: string; readonly durationMs: number }
  /** tofu refused the saved plan: the state changed since it was made. A new /plan is needed. */
  | { readonly status: "stale"; readonly output: string; readonly durationMs: number }
  | { readonly status: "error"; readonly reason: "failed" | "timeout" | "cancelled"; readonly message: string; readonly output: string; readonly durationMs: number };

export interface Terraform {
  /** init → plan -out → show -json and show text. Never throws for tofu failures: see PlanOutcome. */
  plan(request: PlanRequest): Promise<PlanOutcome>;
  /** init, then `apply -input=false <saved plan>` after checking its sha256. */
  apply(request: ApplyRequest): Promise<ApplyOutcome>;
}
