import { createHash, randomUUID } from "node:crypto";
import { basename, dirname, join, resolve } from "node:path";
import { createRepoReader } from "../adapters/git/repo-reader.js";
import type { GitBaseEnv } from "../adapters/git/run-git.js";
import { createWorkspaces } from "../adapters/git/workspaces.js";
import { createHclValidator, type HclParserLoader } from "../adapters/hcl/hcl2json-validator.js";
import { createConftestEngine } from "../adapters/policy/conftest-engine.js";
import { createProviderSchemas } from "../adapters/terraform/provider-schemas.js";
import { createTerraform } from "../adapters/terraform/terraform-cli.js";
import { createSandbox, type SandboxKind } from "../adapters/runner/sandbox.js";
import { resolveBinary, toolchainPaths } from "../adapters/runner/toolchain-paths.js";
import { createTofuRunner, type TofuRunner } from "../adapters/runner/tofu-runner.js";
import { createJobQueue, type JobQueue } from "../app/job-queue.js";
import type { HclValidator } from "../app/ports/hcl-validator.js";
import type { ProviderSchemas } from "../app/ports/provider-schemas.js";
import type { RegoEngine } from "../app/ports/rego-engine.js";
import type { RepoReader } from "../app/ports/repo-reader.js";
import type { Terraform } from "../app/ports/terraform.js";
import type { Workspaces } from "../app/ports/workspaces.js";
import { noCredentials, type ProjectCredentials } from "../domain/project-credentials.js";
import type { TerraformBinaryName } from "../domain/projects/repo-config.js";

/** Everything the plan engine needs, already parsed: the composition roots read the environment. */
export interface EngineSettings {
  readonly dataDir: string;
  readonly terraformBinary: string;
  /** Extra environment for tofu, e.g. TF_CLI_CONFIG_FILE, and the credentials file's pass_env. */
  readonly terraformEnv: Readonly<Record<string, string>>;
  /** `bwrap`: every tofu process in a sandbox; `none`: an explicit opt-out. */
  readonly sandbox: SandboxKind;
  /** tfgate's PATH: where `tofu` is looked up, and the PATH inside a step. */
  readonly hostPath: string;
  /** The environment git processes start from (tfgate's own: PATH, HOME); see GitBaseEnv. */
  readonly gitEnv: GitBaseEnv;
  /**
   * The CLI without a sandbox passes the person's own environment to tofu (their cloud
   * credentials are theirs); absent, tofu gets only the allow-list.
   */
  readonly inheritEnv?: Readonly<Record<string, string | undefined>>;
  /** Each project's variables per stage, from the credentials file; none without one. */
  readonly credentials?: ProjectCredentials;
  readonly concurrency: number;
  readonly planTimeoutMs: number;
  readonly lockTimeout: string;
  readonly killGraceMs: number;
  /** CPU niceness for tofu; the server sets it so webhooks stay fast while plans run. */
  readonly niceness?: number;
  /**
   * Keep go-plugin's mutual TLS between tofu and its providers (default false). Each provider
   * start-up then generates a key pair and certificate on both sides, about 25 ms of CPU per
   * start, and a plan starts each provider three times. The connection is a Unix socket in the
   * job's own 0700 TMPDIR, which only that job's sandbox can see: TLS guards nothing there.
   */
  readonly pluginTls?: boolean;
  /** Workflows' `run:` steps are allowed (TFGATE_ALLOW_RUN_STEPS); built-in steps always run. */
  readonly allowRunSteps?: boolean;
  /** Go threads per tofu process; see goMaxProcsFor. */
  readonly goMaxProcs?: number;
  /**
   * conftest for Rego policies (TFGATE_CONFTEST): a path or a name; default `conftest` beside
   * the default binary (the toolchain directory), then on PATH.
   */
  readonly conftestBinary?: string;
}

export interface PlanEngine {
  readonly settings: EngineSettings;
  readonly validator: HclValidator & { warmUp(): Promise<void> };
  readonly workspaces: Workspaces;
  readonly terraform: Terraform;
  readonly runner: TofuRunner;
  readonly credentials: ProjectCredentials;
  readonly schemas: ProviderSchemas;
  readonly rego: RegoEngine;
  readonly queue: JobQueue;
  readonly planDir: string;
  readonly stateDir: string;
  /** One reader (one long-lived git process, one tree cache) per repository directory. */
  readerFor(repoDir: string): RepoReader;
  closeReaders(): void;
  newId(): string;
}

export interface EngineHooks {
  /** Loads the HCL parser (see createHclValidator); the bundled CLI passes its entry's `import()`. */
  readonly loadHclParser: HclParserLoader;
}

export function createPlanEngine(settings: EngineSettings, hooks: EngineHooks): PlanEngine {
  const dataDir = resolve(settings.dataDir);
  const readers = new Map<string, RepoReader>();
  const runner = createEngineRunner(settings);
  const runnerFor = createRunnerChoice(settings, runner);
  return {
    settings,
    validator: createHclValidator(hooks.loadHclParser),
    workspaces: createWorkspaces({ rootDir: dataDir, gitEnv: settings.gitEnv }),
    runner,
    credentials: settings.credentials ?? noCredentials,
    terraform: createTerraform({ runner, runnerFor, lockTimeout: settings.lockTimeout, timeoutMs: settings.planTimeoutMs, allowRunSteps: settings.allowRunSteps ?? false }),
    schemas: createProviderSchemas({ runner, runnerFor, cacheDir: `${dataDir}/schemas` }),
    rego: createConftestEngine({ runner: createConftestRunner(settings, runner), tmpRoot: `${dataDir}/rego` }),
    queue: createJobQueue({ concurrency: settings.concurrency }),
    planDir: `${dataDir}/plans`,
    stateDir: `${dataDir}/state`,
    readerFor(repoDir) {
      let reader = readers.get(repoDir);
      if (!reader) readers.set(repoDir, (reader = createRepoReader({ dir: repoDir, gitEnv: settings.gitEnv })));
      return reader;
    },
    closeReaders() {
      for (const reader of readers.values()) reader.close();
      readers.clear();
    },
    newId: () => randomUUID(),
  };
}

/**
 * The one runner of tofu processes. Their environment is an allow-list: the switches below, the
 * CLI configuration, GOMAXPROCS, pass_env, then per step TF_DATA_DIR, TMPDIR and the project's
 * credentials for that stage.
 */
export function createEngineRunner(settings: EngineSettings, chosen?: string): TofuRunner {
  // A binary that is not there is reported by the first step that runs it, as before.
  const binary = chosen ?? resolveBinary(settings.terraformBinary, settings.hostPath) ?? settings.terraformBinary;
  return createTofuRunner({
    binary,
    sandbox: createSandbox(settings.sandbox, resolveBinary("bwrap", settings.hostPath) ?? "bwrap"),
    env: {
      ...(settings.goMaxProcs !== undefined ? { GOMAXPROCS: String(settings.goMaxProcs) } : {}),
      ...settings.terraformEnv,
      // See EngineSettings.pluginTls: the provider socket is in the job's private TMPDIR.
      ...(settings.pluginTls ? {} : { TF_DISABLE_PLUGIN_TLS: "1" }),
      TF_IN_AUTOMATION: "1",
      TF_INPUT: "0",
      CHECKPOINT_DISABLE: "1",
    },
    inheritEnv: settings.inheritEnv,
    path: settings.hostPath,
    toolchain: toolchainPaths(binary, settings.terraformEnv["TF_CLI_CONFIG_FILE"]),
    niceness: settings.niceness ?? 0,
    killGraceMs: settings.killGraceMs,
    setpriv: resolveBinary("setpriv", settings.hostPath),
  });
}

/**
 * conftest in the same sandbox as tofu but with nothing of tofu's environment (no CLI config, no
 * pass_env, no credentials): it needs only the policies and the plan. Null when there is none.
 */
function createConftestRunner(settings: EngineSettings, tofu: TofuRunner): TofuRunner | null {
  const wanted = settings.conftestBinary;
  const found = wanted !== undefined ? resolveBinary(wanted, settings.hostPath) : (resolveBinary(join(dirname(tofu.binary), "conftest"), settings.hostPath) ?? resolveBinary("conftest", settings.hostPath));
  if (found === null) return null;
  return createTofuRunner({
    binary: found,
    sandbox: createSandbox(settings.sandbox, resolveBinary("bwrap", settings.hostPath) ?? "bwrap"),
    env: {},
    inheritEnv: undefined,
    path: settings.hostPath,
    toolchain: [found],
    // Policies need no network; the plan JSON they read is the pull request's.
    network: false,
    niceness: settings.niceness ?? 0,
    killGraceMs: settings.killGraceMs,
    setpriv: resolveBinary("setpriv", settings.hostPath),
  });
}

/**
 * The runner of a project that names its binary (`terraform_binary` in tfgate.yaml): the default
 * runner when that is the default binary, else the binary of that name beside the default one
 * (a toolchain directory holds both), else on the host's PATH. A server without it answers every
 * step of such a project with a failure that says so, instead of running another binary.
 */
function createRunnerChoice(settings: EngineSettings, defaultRunner: TofuRunner): (binary: TerraformBinaryName) => TofuRunner {
  const runners = new Map<TerraformBinaryName, TofuRunner>();
  return (name) => {
    let runner = runners.get(name);
    if (runner) return runner;
    if (basename(defaultRunner.binary) === name) runner = defaultRunner;
    else {
      const beside = join(dirname(defaultRunner.binary), name);
      const found = resolveBinary(beside, settings.hostPath) ?? resolveBinary(name, settings.hostPath);
      runner = found === null ? missingBinary(name, dirname(defaultRunner.binary), defaultRunner) : createEngineRunner(settings, found);
    }
    runners.set(name, runner);
    return runner;
  };
}

function missingBinary(name: string, looked: string, like: TofuRunner): TofuRunner {
  const output = `this tfgate server has no \`${name}\` binary (looked beside its default binary in ${looked}, then on its PATH), which this project's terraform_binary asks for; the operator installs it, or tfgate.yaml names another binary`;
  return { binary: name, sandbox: like.sandbox, run: () => Promise.resolve({ ok: false, reason: "failed", output, exitCode: undefined }) };
}

/** A stable, path-safe name for a repository: readable prefix plus a hash of where it lives. */
export function repoKeyFor(source: string): string {
  const base = source.replace(/\/+$/, "").split("/").pop()?.replace(/\.git$/, "").replace(/[^A-Za-z0-9._-]/g, "_") || "repo";
  return `${base}-${createHash("sha256").update(source).digest("hex").slice(0, 12)}`;
}
