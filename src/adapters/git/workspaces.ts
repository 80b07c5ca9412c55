import { randomUUID } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, realpath, rename, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import type { CheckoutRequest, Workspace, Workspaces } from "../../app/ports/workspaces.js";
import { TfgateError } from "../../domain/errors.js";
import { runGit, type GitBaseEnv } from "./run-git.js";
import { readRegularFile } from "../runner/read-regular-file.js";

export interface WorkspacesOptions {
  /** Holds `mirrors/` (one bare mirror per repository) and `jobs/` (one worktree per job). */
  readonly rootDir: string;
  /** See GitBaseEnv: the composition root's environment. */
  readonly gitEnv: GitBaseEnv;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

const TMP_PREFIX = "tfgate-job-";
const TMP_MARKER = "tmpdir";

function removeJob(jobDir: string, tmpDir: string): Promise<unknown> {
  return Promise.all([rm(jobDir, { recursive: true, force: true }), rm(tmpDir, { recursive: true, force: true })]);
}

/**
 * Isolated checkouts at an exact commit: a per-repository mirror (cloned once, then fetched) and,
 * per job, the commit's files written from the mirror's objects with a private index. A job on a
 * big monorepo costs a checkout, not a clone. Unlike `git worktree`, nothing is registered in the
 * mirror: checkouts run in parallel without a lock, and removing one is deleting a directory (a
 * worktree costs three git processes to add and two to remove). Each job also gets its own
 * TF_DATA_DIR, so no two jobs share `.terraform/`, and its own short TMPDIR (0700), where tofu's
 * provider sockets live.
 */
export function createWorkspaces(options: WorkspacesOptions): Workspaces {
  const baseEnv = options.gitEnv;
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

  // `env` carries credentials (an HTTP header), never the URL: a token is then never written to
  // the mirror's config or shown in an error message.
  /** Commits each mirror is known to hold (objects are never removed from a mirror). */
  const known = new Map<string, Set<string>>();
  async function ensureCommits(mirror: string, source: string, wanted: readonly string[], env?: Readonly<Record<string, string>>): Promise<void> {
    const have = known.get(mirror) ?? new Set<string>();
    known.set(mirror, have);
    const shas = wanted.filter((sha) => !have.has(sha));
    if (shas.length === 0) return;
    const gitEnv = env ? { ...env } : undefined;
    if (!(await exists(join(mirror, "HEAD")))) {
      await mkdir(join(options.rootDir, "mirrors"), { recursive: true });
      const tmp = `${mirror}.tmp-${process.pid}`;
      await rm(tmp, { recursive: true, force: true });
      await runGit(options.rootDir, ["clone", "--mirror", "--quiet", "--", source, tmp], { baseEnv, env: gitEnv });
      await rm(mirror, { recursive: true, force: true });
      await rename(tmp, mirror);
      have.clear();
    }
    const has = (sha: string) =>
      runGit(mirror, ["cat-file", "-e", `${sha}^{commit}`], { baseEnv }).then(
        () => {
          have.add(sha);
          return true;
        },
        () => false,
      );
    const missing = [];
    for (const sha of shas) if (!(await has(sha))) missing.push(sha);
    if (missing.length === 0) return;
    await runGit(mirror, ["fetch", "--quiet", "--prune", "origin", "+refs/*:refs/*"], { baseEnv, env: gitEnv }).catch(() => undefined);
    for (const sha of missing) {
      if (await has(sha)) continue;
      // A PR head may only be reachable through refs/pull/N/head or by SHA: ask for it directly.
      await runGit(mirror, ["fetch", "--quiet", "origin", sha], { baseEnv, env: gitEnv }).catch(() => undefined);
      if (!(await has(sha))) throw new TfgateError("unknown-ref", `commit ${sha} is not in ${redactSource(source)}`);
    }
  }

  const mirrorDir = (repoKey: string) => join(options.rootDir, "mirrors", `${repoKey}.git`);

  /** Checkouts made ahead of their job, by repository and commit; null when one failed. */
  const prepared = new Map<string, { readonly made: Promise<{ jobDir: string; tmpDir: string } | null>; readonly abort: AbortController }>();
  const preparedKey = (r: CheckoutRequest) => `${r.repoKey}\0${r.sha}`;

  /**
   * Writes the commit's files into `jobDir/src` and makes the job's private directories; returns
   * the job's TMPDIR. Leaves nothing behind when it fails.
   */
  async function materialize({ repoKey, source, sha, env }: CheckoutRequest, jobDir: string, signal?: AbortSignal): Promise<string> {
    const mirror = mirrorDir(repoKey);
    const dir = join(jobDir, "src");
    await rm(jobDir, { recursive: true, force: true });
    await Promise.all([join(jobDir, "tfdata"), dir].map((d) => mkdir(d, { recursive: true, mode: 0o700 })));
    // The job's TMPDIR is short and under the system's temporary directory, not in the job
    // directory: providers put their Unix socket there, and a socket path may not exceed 107
    // bytes (103 on macOS), which a long data directory plus a job id would. mkdtemp makes it 0700.
    const tmpDir = await mkdtemp(join(tmpdir(), TMP_PREFIX));
    // Where it is, for sweep(): it lies outside the job directory, under a random name.
    await writeFile(join(jobDir, TMP_MARKER), tmpDir, { mode: 0o600 });
    // `checkout <commit> -- .` fills an empty work tree and a private index from the commit
    // without moving any ref of the mirror (core.bare=false only lets it write a work tree).
    const checkout = () =>
      runGit(mirror, ["-c", "core.bare=false", `--work-tree=${dir}`, "checkout", "--quiet", sha, "--", "."], {
        baseEnv,
        env: { GIT_INDEX_FILE: join(jobDir, "index") },
        signal,
      });
    // A mirror usually has the commit already (the server fetched it to detect the change):
    // try first, and fetch only when git says it is missing, instead of asking beforehand.
    try {
      const known = await exists(join(mirror, "HEAD"));
      const done = known ? await checkout().then(() => true, () => false) : false;
      if (!done) {
        // A checkout made ahead never clones or fetches: that is the job's to do, when there is one.
        if (signal) throw new Error(signal.aborted ? "checkout stopped" : `commit ${sha} is not in the mirror yet`);
        await serialised(mirror, () => ensureCommits(mirror, source, [sha], env));
        await checkout();
      }
    } catch (err) {
      await removeJob(jobDir, tmpDir);
      throw err;
    }
    return tmpDir;
  }

  function workspaceAt(jobDir: string, tmpDir: string): Workspace {
    const dir = join(jobDir, "src");
    let disposed = false;
    return {
      dir,
      dataDir: join(jobDir, "tfdata"),
      tmpDir,
      async readConfigFiles(dirs) {
        // Read after a plan ran the pull request's code in this checkout: a directory it turned
        // into a link would lead tfgate (outside the sandbox) anywhere, so each directory must
        // still resolve inside the checkout, and files are read without following links.
        const root = await realpath(dir);
        const out = new Map<string, string>();
        for (const d of new Set(dirs)) {
          const real = await realpath(join(dir, d)).catch(() => null);
          if (real === null || (real !== root && !real.startsWith(`${root}/`))) continue;
          const names = await readdir(join(dir, d)).catch(() => [] as string[]);
          for (const name of names) {
            if (!/\.(tf|tofu)$/.test(name)) continue;
            const rel = d === "" ? name : `${d}/${name}`;
            const file = await readRegularFile(join(dir, rel), 16 * 1024 * 1024);
            if (file.ok) out.set(rel, file.bytes.toString("utf8"));
          }
        }
        return out;
      },
      async dispose() {
        if (disposed) return;
        disposed = true;
        await removeJob(jobDir, tmpDir);
      },
    };
  }

  return {
    async mirror({ repoKey, source, shas, env }) {
      const mirror = mirrorDir(repoKey);
      await serialised(mirror, () => ensureCommits(mirror, source, shas, env));
      return mirror;
    },

    async removeFiles(paths) {
      await Promise.all(paths.map((p) => rm(p, { force: true })));
    },

    async checkout(input) {
      const jobDir = join(options.rootDir, "jobs", input.jobId);
      const key = preparedKey(input);
      const ahead = prepared.get(key);
      if (ahead) {
        prepared.delete(key);
        const made = await ahead.made;
        if (made) {
          try {
            await rm(jobDir, { recursive: true, force: true });
            await rename(made.jobDir, jobDir);
            return workspaceAt(jobDir, made.tmpDir);
          } catch {
            await removeJob(made.jobDir, made.tmpDir); // then a checkout of its own, below
          }
        }
      }
      return workspaceAt(jobDir, await materialize(input, jobDir));
    },

    prepare(input) {
      const key = preparedKey(input);
      if (prepared.has(key)) return;
      const jobDir = join(options.rootDir, "jobs", `prepared-${randomUUID()}`);
      const abort = new AbortController();
      const made = materialize(input, jobDir, abort.signal).then(
        (tmpDir) => ({ jobDir, tmpDir }),
        () => null,
      );
      prepared.set(key, { made, abort });
    },

    async sweep() {
      const jobsDir = join(options.rootDir, "jobs");
      const left = await readdir(jobsDir).catch(() => [] as string[]);
      await Promise.all(
        left.map(async (name) => {
          const jobDir = join(jobsDir, name);
          const marked = await readFile(join(jobDir, TMP_MARKER), "utf8").catch(() => "");
          // Only a directory this code makes: under the system's temporary directory, with its prefix.
          const ours = marked !== "" && dirname(marked) === tmpdir() && basename(marked).startsWith(TMP_PREFIX);
          await removeJob(jobDir, ours ? marked : join(jobDir, "no-tmpdir"));
        }),
      );
      return left.length;
    },

    async discardPrepared() {
      const all = [...prepared.values()];
      prepared.clear();
      // A checkout nobody will use is stopped, not waited for: on a big repository it can take
      // longer than the run that found nothing to plan. A stopped one removes what it wrote.
      for (const p of all) p.abort.abort();
      await Promise.all(
        all.map(async (p) => {
          const made = await p.made;
          if (made) await removeJob(made.jobDir, made.tmpDir);
        }),
      );
    },
  };
}

/** Strips credentials from a URL before it is shown anywhere. */
export function redactSource(source: string): string {
  return source.replace(/\/\/[^/@]*@/, "//***@");
}
