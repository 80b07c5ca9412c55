/**
 * How tfgate runs tofu, from the environment. One reading for the server (`tfgate serve`, and
 * the demo's server) and the CLI (`tfgate plan`/`detect`), which used to read these variables each
 * its own way: the same names, defaults and validation everywhere. Settings that differ by
 * design stay with their caller: the data directory's default, the sandbox (the server isolates
 * by default, the CLI runs as you), concurrency and the plan timeout (flags for the CLI).
 */
import { availableParallelism } from "node:os";
import { z } from "zod";
import { envFlag, envProblems, presentVars, type Env } from "./env-values.js";
import { goMaxProcsFor } from "./go-max-procs.js";

/** Where tofu, bwrap and a step's programs are looked up when PATH is not set. */
export const DEFAULT_HOST_PATH = "/usr/local/bin:/usr/bin:/bin";

const engineEnvSchema = z.object({
  TFGATE_TERRAFORM_BINARY: z.string().default("tofu"),
  TF_CLI_CONFIG_FILE: z.string().optional(),
  TFGATE_LOCK_TIMEOUT: z.string().regex(/^\d+[smh]$/, "a duration such as 60s or 5m").default("60s"),
  TFGATE_PLUGIN_TLS: envFlag.default(false),
  TFGATE_ALLOW_RUN_STEPS: envFlag.default(false),
  TFGATE_CONFTEST: z.string().min(1).optional(),
  PATH: z.string().default(DEFAULT_HOST_PATH),
});

export interface EngineConfig {
  /** `tofu` or `terraform`, a name looked up on hostPath or a path. */
  readonly terraformBinary: string;
  /** Extra environment for tofu: TF_CLI_CONFIG_FILE when set (provider mirror, plugin cache). */
  readonly terraformEnv: Readonly<Record<string, string>>;
  /** `-lock-timeout` for tofu's state lock. */
  readonly lockTimeout: string;
  /** Keep go-plugin's mutual TLS between tofu and providers (off: see EngineSettings.pluginTls). */
  readonly pluginTls: boolean;
  /** Go threads per tofu process, or undefined when the operator set GOMAXPROCS. */
  readonly goMaxProcs: number | undefined;
  /** tfgate's PATH: where `tofu` and `bwrap` are looked up, and the PATH inside a step. */
  readonly hostPath: string;
  /**
   * Whether repositories' workflows may run `run:` shell commands (in the sandbox, with the
   * stage's credentials). Off by default: the operator decides; built-in steps always run.
   */
  readonly allowRunSteps: boolean;
  /** conftest for Rego policies; undefined: beside the default binary, then on PATH. */
  readonly conftestBinary?: string;
}

export type EngineConfigResult = { readonly ok: true; readonly config: EngineConfig } | { readonly ok: false; readonly problems: readonly string[] };

/** `concurrency`: how many jobs run at once, which sets each tofu's share of the CPUs. */
export function parseEngineConfig(env: Env, concurrency: number): EngineConfigResult {
  const present = presentVars(env);
  const parsed = engineEnvSchema.safeParse(present);
  if (!parsed.success) return { ok: false, problems: envProblems(parsed.error.issues, present) };
  const e = parsed.data;
  return {
    ok: true,
    config: {
      terraformBinary: e.TFGATE_TERRAFORM_BINARY,
      terraformEnv: e.TF_CLI_CONFIG_FILE ? { TF_CLI_CONFIG_FILE: e.TF_CLI_CONFIG_FILE } : {},
      lockTimeout: e.TFGATE_LOCK_TIMEOUT,
      pluginTls: e.TFGATE_PLUGIN_TLS,
      goMaxProcs: goMaxProcsFor(availableParallelism(), concurrency, env),
      hostPath: e.PATH,
      allowRunSteps: e.TFGATE_ALLOW_RUN_STEPS,
      ...(e.TFGATE_CONFTEST !== undefined ? { conftestBinary: e.TFGATE_CONFTEST } : {}),
    },
  };
}
