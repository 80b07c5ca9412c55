import { checkOfStatus } from "./check-reports.js";
import type { CheckPublisher } from "./check-publisher.js";
import type { Vcs } from "./ports/vcs.js";

/** How results reach the code host: check runs, commit statuses, or both (TFGATE_RESULTS). */
export type ResultsMode = "checks" | "statuses" | "both";

/** A status could not be shown as a check: `cause` is the host's or the store's error. */
export class CheckPublishError extends Error {
  readonly code = "check-publish-failed";
  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
    this.name = "CheckPublishError";
  }
}

/**
 * The Vcs the use cases set statuses through: with checks on, each status set on its own (an
 * apply's outcome, a refused head, a restart's report of interrupted jobs) also becomes, or only
 * becomes, the check of the same name. So `TFGATE_RESULTS=checks` loses none of them, and the
 * use cases need not know which kind an installation shows. The PR state service publishes its
 * richer checks (diffs, annotations) itself and is given the plain Vcs.
 */
export function resultsVcs(vcs: Vcs, mode: ResultsMode, checks: CheckPublisher): Vcs {
  if (mode === "statuses") return vcs;
  return {
    ...vcs,
    async setStatus(repo, sha, status) {
      if (mode === "both") await vcs.setStatus(repo, sha, status);
      const shown = await checks.publish(repo, { pr: null, headSha: sha }, [checkOfStatus(status)]);
      if (!shown.ok) throw new CheckPublishError(`could not show ${status.context} as a check`, { cause: shown.error });
    },
  };
}
