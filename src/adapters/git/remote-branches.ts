import { tmpdir } from "node:os";
import type { RemoteBranches } from "../../app/ports/remote-branches.js";
import { TfgateError } from "../../domain/errors.js";
import { runGit, type GitBaseEnv } from "./run-git.js";

/** A branch name as git allows it (roughly `git check-ref-format --branch`); refused before git sees it. */
function isBranchName(name: string): boolean {
  if (name.length === 0 || name.length > 255 || name.startsWith("-") || name.includes("..") || name.includes("//")) return false;
  for (const ch of name) if ((ch.codePointAt(0) ?? 0) < 0x20 || ch === "\u007f") return false;
  return !/[\s~^:?*[\\]/.test(name);
}

/**
 * `git ls-remote` of one branch: asks the remote itself, so a branch moved since the mirror was
 * last fetched is seen (configuration is read from the default branch's head, not a stale copy).
 * One round trip; protocol v2 filters refs on the server side.
 */
export function createRemoteBranches(options: { readonly gitEnv: GitBaseEnv }): RemoteBranches {
  return {
    async head(source, branch, env) {
      if (!isBranchName(branch)) throw new TfgateError("invalid-input", `not a branch name: ${JSON.stringify(branch.slice(0, 100))}`);
      const ref = `refs/heads/${branch}`;
      // cwd: ls-remote needs no repository; the temporary directory always exists.
      const { stdout } = await runGit(tmpdir(), ["ls-remote", "--", source, ref], { baseEnv: options.gitEnv, env: env ? { ...env } : undefined });
      for (const line of stdout.split("\n")) {
        const [sha, name] = line.split("\t");
        if (name === ref && sha !== undefined && /^[0-9a-f]{40,64}$/.test(sha)) return sha;
      }
      return null;
    },
    async defaultBranch(source, env) {
      // --symref prints `ref: refs/heads/main<TAB>HEAD` first: what a clone would check out.
      const { stdout } = await runGit(tmpdir(), ["ls-remote", "--symref", "--", source, "HEAD"], { baseEnv: options.gitEnv, env: env ? { ...env } : undefined });
      for (const line of stdout.split("\n")) {
        const m = /^ref: refs\/heads\/(\S+)\tHEAD$/.exec(line);
        if (m?.[1] !== undefined && isBranchName(m[1])) return m[1];
      }
      return null;
    },
  };
}
