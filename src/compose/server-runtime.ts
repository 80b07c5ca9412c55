import { checkBwrap } from "../adapters/runner/check-sandbox.js";
import type { ServerConfig } from "../config/server-config.js";
import { loadCredentials } from "./load-credentials.js";
import type { ServerRuntime } from "./tfgate-server.js";

export type ServerRuntimeResult = { readonly ok: true; readonly runtime: ServerRuntime } | { readonly ok: false; readonly problems: readonly string[] };

/**
 * What the server needs from its machine before it takes a webhook: the credentials file, and a
 * working sandbox. Fail closed: a server that cannot isolate pull requests' code does not run it.
 */
export async function prepareServerRuntime(config: ServerConfig, env: Readonly<Record<string, string | undefined>>): Promise<ServerRuntimeResult> {
  const loaded = loadCredentials(config.credentialsFile, env);
  if (!loaded.ok) return { ok: false, problems: loaded.problems };
  if (config.sandbox === "bwrap") {
    const check = await checkBwrap(env["PATH"] ?? "");
    if (!check.ok) return { ok: false, problems: [`TFGATE_SANDBOX=bwrap: ${check.message}`] };
  }
  return { ok: true, runtime: { credentials: loaded.credentials, hostPath: env["PATH"] ?? "/usr/local/bin:/usr/bin:/bin" } };
}
