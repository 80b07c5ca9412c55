import type { AuditLog } from "./ports/audit.js";
import type { LockRelease, Locks } from "./ports/locks.js";
import type { Logger } from "./ports/logger.js";

export type ReleaseLockResult = LockRelease;

export interface ReleaseLockDeps {
  readonly locks: Locks;
  readonly audit: AuditLog;
  readonly log: Logger;
  /**
   * Tells the pull request that lost the lock, and its summary (best effort: GitHub may be down).
   * Absent when the release came from the PR itself (`/unlock`), whose reply says it.
   */
  readonly notify?: (repo: string, pr: number, project: string, text: string) => Promise<void>;
}

/**
 * Releases a PR's lock (`/unlock` on the PR, or an operator in the web UI). Only the lock held by
 * that PR is released: if another pull request took it in between, nothing changes. Every release
 * is audited (who, which lock, which PR held it, from where), and from the web UI the PR is told,
 * so nobody wonders why its lock went.
 */
export async function releaseLock(
  deps: ReleaseLockDeps,
  input: { repo: string; project: string; pr: number; actor: string; via: "comment" | "web-ui" },
): Promise<ReleaseLockResult> {
  const result = await deps.locks.release(input.repo, input.project, input.pr);
  if (result.status !== "released") return result;
  try {
    await deps.audit.append({ actor: input.actor, action: "unlock", repo: input.repo, pr: input.pr, project: input.project, result: "released", detail: { via: input.via } });
  } catch (err) {
    // No release without its record: give the lock back and report the failure.
    await deps.locks.acquire(input.repo, input.project, input.pr).catch(() => undefined);
    throw err;
  }
  // GitHub may be slow or down: the operator's page does not wait for it.
  void deps.notify
    ?.(input.repo, input.pr, input.project, `The lock of \`${input.project}\` was released by ${input.actor} from tfgate's web UI. Comment \`/plan ${input.project}\` to take it again (if no other pull request has).`)
    .catch((err: unknown) => deps.log.warn({ err, repo: input.repo, pr: input.pr }, "could not tell the pull request its lock was released"));
  return result;
}
