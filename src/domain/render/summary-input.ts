import type { StepReport } from "../projects/workflow.js";
import type { PlanCounts, PlanOutcome } from "../plan/plan-outcome.js";
import type { PolicyResult } from "../policy/policy-result.js";
import type { DeletedProject } from "../projects/detect-affected.js";

export interface PullRef {
  readonly number: number;
  readonly url: string;
}

/**
 * Where a project stands for the head commit. Deliberately not PlanOutcome: the summary never
 * sees `planJson`, which holds sensitive values in clear.
 */
export type ProjectRunState =
  | { readonly status: "queued" }
  | { readonly status: "running" }
  | { readonly status: "no-changes" }
  /** `diff` is the plan as tofu renders it (`show -no-color` of the saved file; sensitive values already masked by tofu). */
  | { readonly status: "changes"; readonly counts: PlanCounts; readonly diff: string }
  /**
   * `interrupted`: the server stopped during the plan (restart recovery); a `/plan` runs it again.
   * `apply-interrupted`: it stopped while this plan was being applied: the infrastructure may be
   * half-changed, so the plan is no longer applicable and earlier approvals no longer count.
   */
  | { readonly status: "error"; readonly reason: "failed" | "timeout" | "interrupted" | "apply-interrupted"; readonly message: string; readonly diagnostics: string }
  | { readonly status: "cancelled"; readonly message: string }
  /** Not planned: another pull request holds the project's lock. */
  | { readonly status: "locked-by-other-pr"; readonly holder: PullRef }
  | { readonly status: "applied"; readonly counts: PlanCounts };

export interface SummaryProject {
  readonly name: string;
  /** Repository-relative; "" is the root. */
  readonly dir: string;
  readonly state: ProjectRunState;
  readonly policy: PolicyResult | null;
  /** Whether this pull request holds the project's lock (another PR's lock is a state). */
  readonly lock: "held" | "not-held";
  /** From the apply gate, e.g. "waiting for SRE approval", "ready to apply". */
  readonly gate?: string;
  /** The full plan log (the server's UI), linked when a diff is trimmed. */
  readonly logUrl?: string;
  /** The hash of the plan's content (what an approval covers); shown shortened. */
  readonly planHash?: string;
  /** Why it was planned: "projects/a/main.tf modified", a module chain, a var file, a `/plan` request. */
  readonly reasons?: readonly string[];
  /** What its workflow steps did in the plan shown. */
  readonly steps?: readonly StepReport[];
}

export interface SummaryInput {
  /** `owner/name`. */
  readonly repo: string;
  /** The repository's web URL (GitHub Enterprise Server differs); defaults to https://github.com/{repo}. */
  readonly repoUrl?: string;
  readonly pr: number;
  /** The commit every plan in the summary belongs to. */
  readonly headSha: string;
  readonly projects: readonly SummaryProject[];
  readonly deleted?: readonly DeletedProject[];
  /** The pull request edits tfgate.yaml, which takes effect only once merged. */
  readonly configChanged?: boolean;
  readonly baseRef?: string;
  /** Where tfgate.yaml and policies were read: the default branch, or the base when it is protected. */
  readonly configRef?: string;
  /** The base branch is not protected: the pull request is planned but never applied. */
  readonly neverApplied?: boolean;
  readonly prState?: "open" | "closed" | "merged";
  /** The server runs tofu without its sandbox (TFGATE_SANDBOX=none): every summary says so. */
  readonly unsandboxed?: boolean;
  /** Why nothing could be planned for this head (invalid HCL, a misnamed project…): PR text. */
  readonly problems?: readonly string[];
  /** What detection could not fully do (a `roots` glob matching nothing, a module source it cannot follow): PR text. */
  readonly warnings?: readonly string[];
}

/** The summary state of a finished plan. */
export function stateFromOutcome(outcome: PlanOutcome): ProjectRunState {
  switch (outcome.status) {
    case "no-changes":
      return { status: "no-changes" };
    case "changes":
      return { status: "changes", counts: outcome.counts, diff: outcome.diff ?? "" };
    case "error":
      return outcome.reason === "cancelled"
        ? { status: "cancelled", message: outcome.message }
        : { status: "error", reason: outcome.reason, message: outcome.message, diagnostics: outcome.diagnostics };
  }
}
