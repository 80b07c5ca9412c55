import { spawn } from "node:child_process";
import { bwrapArgs } from "./sandbox.js";
import { resolveBinary } from "./toolchain-paths.js";

export type SandboxCheck = { readonly ok: true } | { readonly ok: false; readonly message: string };

const ADVICE =
  "Plans run the pull request's code, so tfgate runs every tofu process in a bubblewrap sandbox. Install the Debian/Ubuntu package `bubblewrap` (apt-get install bubblewrap; Fedora/RHEL: dnf install bubblewrap), " +
  "and let unprivileged processes create user namespaces: sysctl kernel.unprivileged_userns_clone=1 (Debian, Ubuntu) and user.max_user_namespaces > 0; " +
  "on Ubuntu 24.04+ also kernel.apparmor_restrict_unprivileged_userns=0 or an AppArmor profile for bwrap; in a container, a seccomp profile that allows creating namespaces. " +
  "To run without isolation (not for untrusted pull requests), set TFGATE_SANDBOX=none.";

/**
 * Starts an empty sandbox exactly as a step does: bwrap must be on tfgate's PATH (where every
 * step finds it) and the kernel must let it create namespaces. A server that cannot isolate plans
 * must not run them (fail closed).
 */
export function checkBwrap(hostPath: string, timeoutMs = 15_000): Promise<SandboxCheck> {
  const bwrap = resolveBinary("bwrap", hostPath);
  if (bwrap === null) {
    return Promise.resolve({ ok: false, message: `the sandbox program bwrap is not installed (not found on PATH ${hostPath || "(empty)"}). ${ADVICE}` });
  }
  return new Promise((resolve) => {
    const child = spawn(bwrap, [...bwrapArgs("/", { readWrite: [], readOnly: [] }), "true"], { stdio: ["ignore", "ignore", "pipe"], env: {}, timeout: timeoutMs });
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
    child.on("error", (err) => resolve({ ok: false, message: `${bwrap} cannot be started (${err.message}). ${ADVICE}` }));
    child.on("close", (code) => {
      if (code === 0) resolve({ ok: true });
      else resolve({ ok: false, message: `${bwrap} cannot create a sandbox here (exit ${code ?? "signal"}: ${stderr.trim() || "no message"}). ${ADVICE}` });
    });
  });
}
