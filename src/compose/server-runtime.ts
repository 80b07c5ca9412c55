import { readFileSync } from "node:fs";
import { checkBwrap } from "../adapters/runner/check-sandbox.js";
import type { ServerConfig } from "../config/server-config.js";
import { loadCredentials } from "./load-credentials.js";
import type { ServerRuntime } from "./tfgate-server.js";

export type ServerRuntimeResult =
  | { readonly ok: true; readonly runtime: ServerRuntime; /** Logged at start: weaker isolation than it could be. */ readonly warnings: readonly string[] }
  | { readonly ok: false; readonly problems: readonly string[] };

/**
 * Inside one step, the pull request's code runs as the same user as tofu: without Yama's ptrace
 * restriction it can open tofu's /proc/PID/mem and change what tofu does. Yama (ptrace_scope ≥ 1)
 * lets a process reach only its descendants, and the PR's code (a provider, an external data
 * source) is tofu's descendant, never its ancestor.
 */
function ptraceWarning(): string | null {
  let scope = "";
  try {
    scope = readFileSync("/proc/sys/kernel/yama/ptrace_scope", "utf8").trim();
  } catch {
    // No Yama in this kernel.
  }
  if (scope !== "" && scope !== "0") return null;
  return `kernel.yama.ptrace_scope is ${scope === "" ? "not available (no Yama)" : "0"}: code of a pull request running in a step can read and write tofu's memory in that step; set kernel.yama.ptrace_scope=1 where the kernel has Yama`;
}

/**
 * What the server needs from its machine before it takes a webhook: the credentials file, and a
 * working sandbox. Fail closed: a server that cannot isolate pull requests' code does not run it.
 */
export async function prepareServerRuntime(config: ServerConfig, env: Readonly<Record<string, string | undefined>>): Promise<ServerRuntimeResult> {
  const loaded = loadCredentials(config.credentialsFile, env);
  if (!loaded.ok) return { ok: false, problems: loaded.problems };
  if (config.sandbox === "bwrap") {
    const check = await checkBwrap(config.engine.hostPath);
    if (!check.ok) return { ok: false, problems: [`TFGATE_SANDBOX=bwrap: ${check.message}`] };
  }
  const warning = config.sandbox === "bwrap" ? ptraceWarning() : null;
  return { ok: true, runtime: { credentials: loaded.credentials, gitEnv: env }, warnings: warning ? [warning] : [] };
}
