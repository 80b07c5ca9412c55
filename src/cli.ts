/**
 * The tfgate CLI: `tfgate detect` and `tfgate plan`, working on a local repository without GitHub.
 * Composition root for the CLI: the only place (with main.ts) that reads process.env. Bundled
 * into dist/cli-bundle.cjs and run by cli-entry.ts, which lends it `import()` for the modules
 * that stay outside the bundle (serve, demo, setup, the HCL parser).
 */
import { stat } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import type { HclParserLoader } from "./adapters/hcl/hcl2json-validator.js";
import { EXIT, type CliIo, type ExitCode, type ImportModule } from "./cli/cli-io.js";
import { detectCommand } from "./cli/detect-command.js";
// Types only: these modules stay outside the bundle and load when their command runs.
import type * as SetupArgs from "./cli/setup-args.js";
import type * as SetupCommand from "./cli/setup-command.js";
import type * as GithubDemo from "./demo/github-demo.js";
import type * as Server from "./main.js";
import { planCommand } from "./cli/plan-command.js";
import { createPlanEngine, type EngineSettings } from "./compose/plan-engine.js";
import { loadCredentials } from "./compose/load-credentials.js";
import { checkBwrap } from "./adapters/runner/check-sandbox.js";
import { defaultDataDir } from "./config/default-data-dir.js";
import { parseEngineConfig } from "./config/engine-config.js";
import { isTfgateError } from "./domain/errors.js";
import { createSecretScrubber } from "./domain/render/secret-scrubber.js";

const USAGE = `Usage:
  tfgate serve      (the GitHub App server; settings from the environment, see the README)
  tfgate demo       (the GitHub App flow against a simulated GitHub, from a checkout)
  tfgate setup --public-url URL [--org ORG] [--out DIR]   (create the GitHub App; \`tfgate setup --help\`)
  tfgate detect --repo DIR --base REF --head REF [--json]
  tfgate plan   --repo DIR --base REF --head REF [--project NAME]... [--concurrency N] [--sandbox bwrap|none] [--credentials FILE] [--json]

Options:
  --repo DIR         a git repository (default: the current directory)
  --base REF         the branch the change goes into; tfgate.yaml is read from it
  --head REF         the change to detect or plan
  --project NAME     plan this project (repeatable) instead of the affected ones
  --concurrency N    plans run in parallel (default: number of CPUs)
  --data-dir DIR     workspaces, plan files and local state (env TFGATE_DATA_DIR)
  --binary PATH      tofu or terraform (env TFGATE_TERRAFORM_BINARY, default: tofu)
  --timeout SECONDS  limit for one project's plan (default: 1800)
  --sandbox KIND     bwrap: tofu runs isolated, with only the credentials file's variables;
                     none (default): tofu runs with your own environment
  --credentials FILE per-project variables for plans (the server's credentials file format)
  --json             machine-readable output

Exit codes: 0 success (plans with changes included), 1 a plan failed, 2 invalid input.
`;

const io: CliIo = {
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
};

function positiveInt(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${name} must be a positive whole number, got "${value}"`);
  return n;
}

class UsageError extends Error {}

async function main(argv: string[], importModule: ImportModule): Promise<ExitCode> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "help" || command === "--help" || command === "-h") {
    io.out(USAGE);
    return command === undefined ? EXIT.invalidInput : EXIT.ok;
  }
  if (command === "demo") {
    const { runGithubDemo } = (await importModule("./demo/github-demo.js")) as typeof GithubDemo;
    return (await runGithubDemo({ samplesDir: resolve(import.meta.dirname, ".."), env: process.env, out: io.out })) as ExitCode;
  }
  if (command === "setup") {
    const { setupCommand } = (await importModule("./cli/setup-command.js")) as typeof SetupCommand;
    const { SETUP_USAGE } = (await importModule("./cli/setup-args.js")) as typeof SetupArgs;
    if (rest.includes("--help") || rest.includes("-h")) {
      io.out(SETUP_USAGE);
      return EXIT.ok;
    }
    // Ctrl-C and SIGTERM end the wait for GitHub; the command closes its listener and exits 1.
    const stop = new AbortController();
    process.once("SIGINT", () => stop.abort());
    process.once("SIGTERM", () => stop.abort());
    return setupCommand(rest, {
      io,
      manifestPath: resolve(import.meta.dirname, "..", "github-app-manifest.json"),
      cwd: process.cwd(),
      signal: stop.signal,
    });
  }
  if (command === "serve") {
    const { main: serve } = (await importModule("./main.js")) as typeof Server;
    await serve(process.env);
    return (process.exitCode ?? 0) as ExitCode;
  }
  if (command !== "detect" && command !== "plan") throw new UsageError(`unknown command "${command}"`);

  const { values } = parseArgs({
    args: rest,
    strict: true,
    options: {
      repo: { type: "string" },
      base: { type: "string" },
      head: { type: "string" },
      json: { type: "boolean", default: false },
      project: { type: "string", multiple: true },
      concurrency: { type: "string" },
      "data-dir": { type: "string" },
      binary: { type: "string" },
      timeout: { type: "string" },
      sandbox: { type: "string" },
      credentials: { type: "string" },
    },
  });
  if (!values.base || !values.head) throw new UsageError("--base and --head are required");
  if (command === "detect" && (values.project || values.concurrency || values.sandbox || values.credentials)) {
    throw new UsageError("--project, --concurrency, --sandbox and --credentials belong to `tfgate plan`");
  }
  const sandbox = values.sandbox ?? "none";
  if (sandbox !== "bwrap" && sandbox !== "none") throw new UsageError(`--sandbox must be bwrap or none, got "${sandbox}"`);

  const repo = resolve(values.repo ?? ".");
  const isDir = await stat(repo).then((s) => s.isDirectory(), () => false);
  if (!isDir) throw new UsageError(`--repo ${repo} is not a directory`);

  const env = process.env;
  const concurrency = positiveInt(values.concurrency, "--concurrency", availableParallelism());
  // How tofu runs comes from the environment as it does for the server (TFGATE_TERRAFORM_BINARY…).
  const engineConfig = parseEngineConfig(env, concurrency);
  if (!engineConfig.ok) {
    io.err(`tfgate: invalid environment:\n${engineConfig.problems.map((p) => `  - ${p}`).join("\n")}\n`);
    return EXIT.invalidInput;
  }
  const loaded = loadCredentials(values.credentials ? resolve(values.credentials) : null, env);
  if (!loaded.ok) {
    io.err(`tfgate: invalid credentials file:\n${loaded.problems.map((p) => `  - ${p}`).join("\n")}\n`);
    return EXIT.invalidInput;
  }
  const engineEnv = engineConfig.config;
  if (sandbox === "bwrap" && command === "plan") {
    const check = await checkBwrap(engineEnv.hostPath);
    if (!check.ok) {
      io.err(`tfgate: --sandbox bwrap: ${check.message}\n`);
      return EXIT.invalidInput;
    }
  }
  const settings: EngineSettings = {
    ...engineEnv,
    dataDir: values["data-dir"] ?? defaultDataDir(env),
    terraformBinary: values.binary ?? engineEnv.terraformBinary,
    terraformEnv: { ...loaded.credentials.passEnv, ...engineEnv.terraformEnv },
    sandbox,
    gitEnv: env,
    // Without a sandbox, tofu runs as you would run it yourself: with your environment.
    inheritEnv: sandbox === "none" ? env : undefined,
    credentials: loaded.credentials.forProject,
    concurrency,
    planTimeoutMs: positiveInt(values.timeout, "--timeout", 1800) * 1000,
    killGraceMs: 10_000,
  };
  const engine = createPlanEngine(settings, { loadHclParser: () => importModule("@cdktn/hcl2json") as ReturnType<HclParserLoader> });
  // Ctrl-C: tofu gets SIGINT through the queue's cancellation, so it releases state locks.
  process.once("SIGINT", () => {
    engine.queue.cancel(() => true, "interrupted");
  });

  const args = { repo, base: values.base, head: values.head, json: values.json ?? false };
  if (command === "detect") return detectCommand(engine, io, args);
  // The credentials file's values never reach the terminal through tofu's output or an error.
  const scrub = createSecretScrubber(loaded.credentials.secrets);
  const planIo: CliIo = loaded.credentials.secrets.length === 0 ? io : { out: (t) => io.out(scrub(t)), err: (t) => io.err(scrub(t)) };
  return planCommand(engine, planIo, { ...args, projects: values.project ?? [] });
}

/** Runs one command and sets the exit code; never rejects. */
export function runCli(argv: string[], importModule: ImportModule): Promise<void> {
  return main(argv, importModule).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      io.err(`tfgate: ${(err as Error).message}\n\n${USAGE}`);
      process.exitCode = EXIT.invalidInput;
    } else if (isTfgateError(err)) {
      io.err(`tfgate: ${err.message}\n`);
      process.exitCode = err.code === "terraform-failed" || err.code === "timeout" ? EXIT.planFailed : EXIT.invalidInput;
    } else if (err instanceof Error && err.name === "GitError") {
      // git's own message names the failure; a stack trace of tfgate's would only hide it.
      io.err(`tfgate: ${err.message.trim()}\n`);
      process.exitCode = EXIT.planFailed;
    } else {
      io.err(`tfgate: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = EXIT.planFailed;
    }
  },
);
}
