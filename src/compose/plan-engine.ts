import { createHash, randomUUID } from "node:crypto";
import { resolve } from "node:path";
import { createRepoReader } from "../adapters/git/repo-reader.js";
import { createWorkspaces } from "../adapters/git/workspaces.js";
import { createHclValidator, type HclParserLoader } from "../adapters/hcl/hcl2json-validator.js";
import { createProviderSchemas } from "../adapters/terraform/provider-schemas.js";
import { createTerraform } from "../adapters/terraform/terraform-cli.js";
import { createJobQueue, type JobQueue } from "../app/job-queue.js";
import type { HclValidator, ProviderSchemas, RepoReader, Terraform, Workspaces } from "../app/ports.js";

/** Everything the plan engine needs, already parsed: the composition roots read the environment. */
export interface EngineSettings {
  readonly dataDir: string;
  readonly terraformBinary: string;
  /** Extra environment for tofu, e.g. TF_CLI_CONFIG_FILE. */
  readonly terraformEnv: Readonly<Record<string, string>>;
  readonly concurrency: number;
  readonly planTimeoutMs: number;
  readonly lockTimeout: string;
  readonly killGraceMs: number;
  /** CPU niceness for tofu; the server sets it so webhooks stay fast while plans run. */
  readonly niceness?: number;
  /** Keep mutual TLS between tofu and providers (see TerraformOptions.pluginTls). */
  readonly pluginTls?: boolean;
  /** Go threads per tofu process; see goMaxProcsFor. */
  readonly goMaxProcs?: number;
}

export interface PlanEngine {
  readonly settings: EngineSettings;
  readonly validator: HclValidator & { warmUp(): Promise<void> };
  readonly workspaces: Workspaces;
  readonly terraform: Terraform;
  readonly schemas: ProviderSchemas;
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
  return {
    settings,
    validator: createHclValidator(hooks.loadHclParser),
    workspaces: createWorkspaces({ rootDir: dataDir }),
    terraform: createTerraform({
      binary: settings.terraformBinary,
      env: settings.terraformEnv,
      lockTimeout: settings.lockTimeout,
      timeoutMs: settings.planTimeoutMs,
      killGraceMs: settings.killGraceMs,
      niceness: settings.niceness ?? 0,
      pluginTls: settings.pluginTls ?? false,
      goMaxProcs: settings.goMaxProcs,
    }),
    schemas: createProviderSchemas({ binary: settings.terraformBinary, env: settings.terraformEnv, cacheDir: `${dataDir}/schemas` }),
    queue: createJobQueue({ concurrency: settings.concurrency }),
    planDir: `${dataDir}/plans`,
    stateDir: `${dataDir}/state`,
    readerFor(repoDir) {
      let reader = readers.get(repoDir);
      if (!reader) readers.set(repoDir, (reader = createRepoReader({ dir: repoDir })));
      return reader;
    },
    closeReaders() {
      for (const reader of readers.values()) reader.close();
      readers.clear();
    },
    newId: () => randomUUID(),
  };
}

/** A stable, path-safe name for a repository: readable prefix plus a hash of where it lives. */
export function repoKeyFor(source: string): string {
  const base = source.replace(/\/+$/, "").split("/").pop()?.replace(/\.git$/, "").replace(/[^A-Za-z0-9._-]/g, "_") || "repo";
  return `${base}-${createHash("sha256").update(source).digest("hex").slice(0, 12)}`;
}
