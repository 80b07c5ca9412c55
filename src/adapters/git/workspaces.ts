import { mkdir, readdir, readFile, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Workspace, Workspaces } from "../../app/ports.js";
import { runGit } from "./run-git.js";

export interface WorkspacesOptions {
  /** Holds `mirrors/` (one bare mirror per repository) and `jobs/` (one worktree per job). */
  readonly rootDir: string;
  /**
   * Extra environment for fetches, e.g. a credential header. Kept out of the remote URL so a
   * token is never written to the mirror's config or shown in an error message.
   */
  readonly fetchEnv?: (source: string) => Record<string, string>;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/**
 * Isolated checkouts at an exact commit: a per-repository mirror (cloned once, then fetched) and a
 * `git worktree` per job. A worktree shares the mirror's objects, so a job on a big monorepo costs
 * a checkout, not a clone. Each job also gets its own TF_DATA_DIR, so no two jobs share `.terraform/`.
 */
export function createWorkspaces(options: WorkspacesOptions): Workspaces {
  /** Per-mirror serialisation of fetch/worktree bookkeeping; plans themselves run in parallel. */
  const locks = new Map<string, Promise<unknown>>();
  function serialised<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = locks.get(key) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    locks.set(
      key,
      next.catch(() => undefined),
    );
    return next;
  }

  async function ensureCommit(mirror: string, source: string, sha: string): Promise<void> {
    const env = options.fetchEnv?.(source);
    if (!(await exists(join(mirror, "HEAD")))) {
      await mkdir(join(options.rootDir, "mirrors"), { recursive: true });
      const tmp = `${mirror}.tmp-${process.pid}`;
      await rm(tmp, { recursive: true, force: true });
      await runGit(options.rootDir, ["clone", "--mirror", "--quiet", "--", source, tmp], { env });
      await rm(mirror, { recursive: true, force: true });
      await rename(tmp, mirror);
    }
    const has = await runGit(mirror, ["cat-file", "-e", `${sha}^{commit}`]).then(
      () => true,
      () => false,
    );
    if (!has) {
      await runGit(mirror, ["fetch", "--quiet", "--prune", "origin", "+refs/*:refs/*"], { env }).catch(() => undefined);
      // A PR head may only be reachable through refs/pull/N/head or by SHA: ask for it directly.
      await runGit(mirror, ["fetch", "--quiet", "origin", sha], { env }).catch(() => undefined);
      await runGit(mirror, ["cat-file", "-e", `${sha}^{commit}`]).catch((err: unknown) => {
        throw new Error(`commit ${sha} is not in ${redactSource(source)}`, { cause: err });
      });
    }
  }

  return {
    async checkout({ repoKey, source, sha, jobId }) {
      const mirror = join(options.rootDir, "mirrors", `${repoKey}.git`);
      const jobDir = join(options.rootDir, "jobs", jobId);
      const dir = join(jobDir, "src");
      const dataDir = join(jobDir, "tfdata");
      await serialised(mirror, async () => {
        await ensureCommit(mirror, source, sha);
        await rm(jobDir, { recursive: true, force: true });
        await mkdir(dataDir, { recursive: true, mode: 0o700 });
        await runGit(mirror, ["worktree", "add", "--detach", "--quiet", "--force", dir, sha]);
      });
      let disposed = false;
      const workspace: Workspace = {
        dir,
        dataDir,
        async readConfigFiles(dirs) {
          const out = new Map<string, string>();
          for (const d of new Set(dirs)) {
            const names = await readdir(join(dir, d)).catch(() => [] as string[]);
            for (const name of names) {
              if (!/\.(tf|tofu)$/.test(name)) continue;
              const rel = d === "" ? name : `${d}/${name}`;
              out.set(rel, await readFile(join(dir, rel), "utf8"));
            }
          }
          return out;
        },
        async dispose() {
          if (disposed) return;
          disposed = true;
          await serialised(mirror, async () => {
            await runGit(mirror, ["worktree", "remove", "--force", "--force", dir]).catch(() => undefined);
            await rm(jobDir, { recursive: true, force: true });
            await runGit(mirror, ["worktree", "prune"]).catch(() => undefined);
          });
        },
      };
      return workspace;
    },
  };
}

/** Strips credentials from a URL before it is shown anywhere. */
export function redactSource(source: string): string {
  return source.replace(/\/\/[^/@]*@/, "//***@");
}
