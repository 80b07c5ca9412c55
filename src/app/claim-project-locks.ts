import type { Project } from "../domain/projects/discover-projects.js";
import type { Vcs, RepoRef } from "./ports/vcs.js";
import { firstNotice, repoNameOf, type PrRun } from "./pr-run.js";
import type { Locks } from "./ports/locks.js";

export interface ClaimLocksDeps {
  readonly locks: Locks;
  readonly vcs: Vcs;
  /** The web address of another pull request of the same repository. */
  readonly pullUrl: (pr: number) => string;
}

/**
 * Takes each target's project lock for the pull request. Returns the projects it may plan; a
 * project another pull request holds gets a "locked by #N" row and, once per holder, a comment
 * naming the holder and how to release it.
 */
export async function claimProjectLocks(deps: ClaimLocksDeps, repo: RepoRef, run: PrRun, targets: readonly Project[]): Promise<Project[]> {
  const planned: Project[] = [];
  for (const project of targets) {
    const lock = await deps.locks.acquire(repoNameOf(repo), project.name, run.pr);
    if (lock.status !== "held") {
      planned.push(project);
      run.rows.set(project.name, { name: project.name, dir: project.dir, state: { status: "queued" }, policy: null, lock: "held" });
      continue;
    }
    const holder = { number: lock.by, url: deps.pullUrl(lock.by) };
    run.rows.set(project.name, { name: project.name, dir: project.dir, state: { status: "locked-by-other-pr", holder }, policy: null, lock: "not-held" });
    if (firstNotice(run, `lock:${project.name}:${lock.by}`)) {
      await deps.vcs.createComment(
        repo,
        run.pr,
        `\`${project.name}\` is locked by #${lock.by} (${holder.url}), which planned it first, so it was not planned here. The lock is released when #${lock.by} is merged or closed, or when someone with write access comments \`/unlock ${project.name}\` on #${lock.by}.`,
      );
    }
  }
  return planned;
}
