/**
 * Ports: what the use cases need from the outside world, by role. Adapters implement them;
 * tests use the real adapters (git, tofu) or small in-memory fakes where the real thing is remote.
 */
import type { FileChange } from "../domain/projects/file-change.js";
import type { RepoTree } from "../domain/projects/repo-tree.js";
import type { PlanOutcome } from "../domain/plan/plan-outcome.js";
import type { TaggableLookup } from "../domain/policy/taggable-lookup.js";

/** Read-only access to a repository's objects. */
export interface RepoReader {
  /** Resolves refs to commit SHAs (in order); throws TfgateError("unknown-ref") naming the bad one. */
  resolveRefs(refs: readonly string[]): Promise<string[]>;
  mergeBase(a: string, b: string): Promise<string>;
  /**
   * The tree at a commit; `withHcl` also reads every configuration file (for module calls) and
   * every symbolic link's target (detection checks where the planned projects' links lead).
   */
  readTree(sha: string, withHcl: boolean): Promise<RepoTree>;
  /** What `head` changed since its merge base with `base` (what a pull request shows). */
  diffFromMergeBase(base: string, head: string): Promise<FileChange[]>;
  /** Paths of the files directly in `dir` at a commit (no subdirectories). */
  listFiles(sha: string, dir: string): Promise<string[]>;
  /** Files' texts at a commit, read in one batch; absent files are missing from the map. */
  readTexts(sha: string, paths: readonly string[]): Promise<Map<string, string>>;
  /** Releases the reader's long-lived git process. */
  close(): void;
}

/** Full HCL syntax check; returns a "file:line,col: message" error or null. */
export interface HclValidator {
  validate(path: string, text: string): Promise<string | null>;
}

/** An isolated checkout at one commit, with its own TF_DATA_DIR; removed by dispose(). */
export interface Workspace {
  readonly dir: string;
  readonly dataDir: string;
  /** A private (0700) temporary directory for the job's processes. */
  readonly tmpDir: string;
  /** Texts of the `*.tf`/`*.tofu` files directly in these repository-relative directories. */
  readConfigFiles(dirs: readonly string[]): Promise<Map<string, string>>;
  dispose(): Promise<void>;
}

/** Branches of a remote repository as they are now (not as a mirror last saw them). */
export interface RemoteBranches {
  /** The commit `branch` points at; null when the remote has no such branch. */
  head(source: string, branch: string, env?: Readonly<Record<string, string>>): Promise<string | null>;
}

export interface MirrorRequest {
  readonly repoKey: string;
  readonly source: string;
  /** Commits the caller needs; fetched when missing. */
  readonly shas: readonly string[];
  /** Extra environment for git fetch, e.g. an installation token as an HTTP header. */
  readonly env?: Readonly<Record<string, string>>;
}

export interface CheckoutRequest {
  readonly repoKey: string;
  readonly source: string;
  readonly sha: string;
  readonly env?: Readonly<Record<string, string>>;
}

export interface Workspaces {
  /** Brings the repository's local mirror up to date; returns its directory (for a RepoReader). */
  mirror(request: MirrorRequest): Promise<string>;
  checkout(input: CheckoutRequest & { jobId: string }): Promise<Workspace>;
  /**
   * Starts a checkout of `sha` ahead of the job that will need it (e.g. while detection runs);
   * the next `checkout` of the same commit takes it over. Returns at once; a failure here only
   * means the job checks out itself.
   */
  prepare(input: CheckoutRequest): void;
  /** Removes prepared checkouts that no job took. */
  discardPrepared(): Promise<void>;
  /**
   * Removes what jobs of an earlier process left when it stopped mid-job (a crash, SIGKILL): their
   * directories and private TMPDIRs. Only while no job runs (a server at start-up); returns how many.
   */
  sweep(): Promise<number>;
  /** Deletes saved plan files (a closed pull request's); missing files are fine. */
  removeFiles(paths: readonly string[]): Promise<void>;
}

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
  /** The project's plan credentials: the only variables besides tfgate's fixed ones. */
  readonly credentials?: Readonly<Record<string, string>>;
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

/** Which resource types can be tagged, learned from provider schemas. */
export interface SchemaRequest {
  readonly workspace: Pick<Workspace, "dir" | "dataDir" | "tmpDir">;
  readonly workdir: string;
  readonly planJson: unknown;
  readonly credentials?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
}

export interface ProviderSchemas {
  /**
   * Call in an initialised workdir (after init/plan, before the workspace is disposed). Throws
   * TfgateError("terraform-failed") when the schemas cannot be read; the caller reports the
   * project's policy as `error`.
   */
  taggableLookup(request: SchemaRequest): Promise<TaggableLookup>;
}
