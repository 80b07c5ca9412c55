/**
 * Rego policies through conftest (the real engine, built by scripts/toolchain.sh), with the
 * conventions Atlantis's `policy_check` uses: every package (`--all-namespaces`), `deny` and
 * `violation` rules (and their `deny_*` forms) fail, `warn` rules warn, JSON and YAML data files
 * beside the policies are `data`. The input is the plan's `show -json` output.
 *
 * The policies come from the trusted ref, but the input is the pull request's plan, and Rego has
 * builtins that reach out (`http.send`, `opa.runtime()`): conftest runs in the same sandbox as
 * tofu, with an empty environment, seeing only the policies and the input.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { RegoEngine, RegoRequest } from "../../app/ports/rego-engine.js";
import type { RegoFinding, RegoOutcome } from "../../domain/policy/rego-findings.js";
import type { TofuRunner } from "../runner/tofu-runner.js";

export interface ConftestEngineOptions {
  /** A runner whose binary is conftest (its own sandbox, no tofu environment); null: none installed. */
  readonly runner: TofuRunner | null;
  /**
   * Where each evaluation makes its own private directory. Never a directory a plan step could
   * write (a job's TMPDIR): its code could plant a policy there, or a link tfgate would write through.
   */
  readonly tmpRoot: string;
  readonly timeoutMs?: number;
  /** Bound on an error message taken from conftest's output. */
  readonly maxMessageChars?: number;
}

const POLICY_ROOT = "policies/";
/** What Rego v1 says of a policy written in v0 syntax. */
const V0_SYNTAX = /`(if|contains)` keyword is required/;

export function createConftestEngine(options: ConftestEngineOptions): RegoEngine {
  return {
    async evaluate(request) {
      const { runner } = options;
      if (runner === null) {
        return { status: "error", file: "policies/", message: "this tfgate server has no conftest binary, which the repository's .rego policies need: the operator installs it (scripts/toolchain.sh builds one) or sets TFGATE_CONFTEST" };
      }
      await mkdir(options.tmpRoot, { recursive: true, mode: 0o700 });
      const dir = await mkdtemp(join(options.tmpRoot, "rego-"));
      try {
        const policyDir = join(dir, "policy");
        const inputFile = join(dir, "input", "plan.json");
        for (const source of request.sources) {
          // Paths come from git's tree of the trusted ref, below policies/; git refuses `..`
          // components, and a path that would still leave the directory is refused here.
          const target = join(policyDir, source.path.slice(POLICY_ROOT.length));
          if (!source.path.startsWith(POLICY_ROOT) || !target.startsWith(`${policyDir}/`)) {
            return { status: "error", file: source.path, message: "a policy file outside policies/ cannot be evaluated" };
          }
          await mkdir(dirname(target), { recursive: true, mode: 0o700 });
          await writeFile(target, source.text, { mode: 0o600, flag: "wx" });
        }
        await mkdir(dirname(inputFile), { recursive: true, mode: 0o700 });
        await writeFile(inputFile, JSON.stringify(request.planJson), { mode: 0o600, flag: "wx" });
        const run = (version: "v0" | "v1") => runConftest(runner, request, { dir, policyDir, inputFile }, version, options);
        // Rego v1 first; a set written for conftest before OPA 1.0 gets a second run as v0, so an
        // existing directory works unchanged.
        const first = await run("v1");
        if (first.status === "error" && first.parseError) {
          const second = await run("v0");
          // Both failed: v1's complaints about v0 syntax would only hide the real error.
          if (second.status === "ok" || V0_SYNTAX.test(first.message)) return strip(second);
        }
        return strip(first);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}

/** An outcome, and whether conftest refused to parse the policies (a reason to try v0). */
type RunOutcome = RegoOutcome & { readonly parseError?: boolean };

function strip(outcome: RunOutcome): RegoOutcome {
  const { parseError: _parseError, ...rest } = outcome;
  return rest as RegoOutcome;
}

interface RunPaths {
  readonly dir: string;
  readonly policyDir: string;
  readonly inputFile: string;
}

async function runConftest(runner: TofuRunner, request: RegoRequest, paths: RunPaths, regoVersion: "v0" | "v1", options: ConftestEngineOptions): Promise<RunOutcome> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
  const { policyDir, inputFile } = paths;
  const result = await runner.run({
    args: ["test", "--all-namespaces", "--no-color", "--no-fail", "--output", "json", "--rego-version", regoVersion, "--policy", policyDir, "--data", policyDir, inputFile],
    cwd: paths.dir,
    mounts: { readWrite: [], readOnly: [policyDir, dirname(inputFile)] },
    tmpDir: join(paths.dir, "run"),
    env: {},
    signal,
    timeout,
  });
  // With --no-fail, conftest exits non-zero only when it could not evaluate (e.g. a parse error).
  if (!result.ok || result.exitCode !== 0) {
    if (!result.ok && result.reason === "timeout") return { status: "error", file: "policies/", message: `the Rego policies could not be evaluated: conftest did not finish within ${timeoutMs / 1000} s` };
    if (!result.ok && result.reason === "cancelled") return { status: "error", file: "policies/", message: "the Rego policies could not be evaluated: conftest was cancelled" };
    const output = (result.ok ? result.all : result.output).trim().replaceAll(`${policyDir}/`, POLICY_ROOT).replaceAll(inputFile, "(the plan JSON)");
    // Only conftest's own loading errors count as a parse failure, not text a policy printed.
    const parseError = /^Error: running test: load: loading policies:.*rego_parse_error/ms.test(output);
    const max = options.maxMessageChars ?? 4000;
    const message = output.length > max ? `${output.slice(0, max)}… (${output.length - max} more characters)` : output;
    return { status: "error", file: "policies/", message: `the Rego policies could not be evaluated: ${message}`, parseError };
  }
  return parseConftestJson(result.stdout);
}

interface ConftestResult {
  readonly msg?: unknown;
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/** conftest's `--output json`: one entry per input file and namespace. Exported for tests. */
export function parseConftestJson(stdout: string): RegoOutcome {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch (err) {
    return { status: "error", file: "policies/", message: `conftest printed no JSON (${err instanceof Error ? err.message : String(err)}): ${stdout.slice(0, 500)}` };
  }
  if (!Array.isArray(parsed)) return { status: "error", file: "policies/", message: "conftest's output is not a list of results" };
  const findings: RegoFinding[] = [];
  for (const entry of parsed as Array<Record<string, unknown>>) {
    const namespace = typeof entry["namespace"] === "string" ? entry["namespace"] : "";
    const collect = (list: unknown, severity: RegoFinding["severity"], fallbackRule: string) => {
      for (const r of Array.isArray(list) ? (list as ConftestResult[]) : []) {
        const metadata = r.metadata ?? {};
        const query = typeof metadata["query"] === "string" ? metadata["query"] : `data.${namespace}.${fallbackRule}`;
        const address = [metadata["address"], metadata["resource"]].find((a): a is string => typeof a === "string");
        findings.push({ severity, namespace, query, message: typeof r.msg === "string" ? r.msg : JSON.stringify(r.msg), ...(address ? { address } : {}) });
      }
    };
    collect(entry["failures"], "failure", "deny");
    collect(entry["warnings"], "warning", "warn");
    // A deny an `exception` rule of the trusted policies excused: shown, never silent.
    for (const r of Array.isArray(entry["exceptions"]) ? (entry["exceptions"] as ConftestResult[]) : []) {
      const message = typeof r.msg === "string" ? r.msg : JSON.stringify(r.msg);
      findings.push({ severity: "warning", namespace, query: `data.${namespace}.exception`, message: `excepted by the policies: ${message}` });
    }
  }
  return { status: "ok", findings };
}
