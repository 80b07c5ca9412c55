import type { PrStateService } from "./pr-state-service.js";
import type { AuditLog } from "./ports/audit.js";
import type { Locks } from "./ports/locks.js";
import type { Logger } from "./ports/logger.js";
import type { Vcs } from "./ports/vcs.js";
import { releaseLock, type ReleaseLockResult } from "./release-lock.js";

export interface ReleaseLockFromUiDeps {
  readonly locks: Locks;
  readonly audit: AuditLog;
  readonly log: Logger;
  readonly vcs: Vcs;
  readonly prStates: PrStateService;
}

/** An operator released a lock in the web UI: released and audited, then the pull request's summary and thread are told. */
export function releaseLockFromUi(deps: ReleaseLockFromUiDeps, input: { repo: string; project: string; pr: number; actor: string }): Promise<ReleaseLockResult> {
  return releaseLock(
    {
      ...deps,
      notify: async (repoName, pr, project, text) => {
        const [owner = "", name = ""] = repoName.split("/");
        const repo = await deps.vcs.resolveRepo(owner, name);
        // The summary first and on its own: a comment the host refuses must not leave it stale.
        const results = await Promise.allSettled([deps.prStates.lockReleased(repo, pr, project), deps.vcs.createComment(repo, pr, text)]);
        const failed = results.find((r) => r.status === "rejected");
        if (failed) throw failed.reason;
      },
    },
    { ...input, via: "web-ui" },
  );
}
