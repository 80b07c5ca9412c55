import { DRIFT_ISSUE_LABEL, readDriftIssueMarker } from "../domain/drift/drift-issue-marker.js";
import { driftIssueTitle, renderDriftIssue, renderDriftResolved } from "../domain/drift/render-drift-issue.js";
import type { DriftCheckEvent, DriftListener } from "./check-drift.js";
import type { DriftIssues } from "./ports/drift-issues.js";
import type { DriftCheckRecord, DriftResults } from "./ports/drift-results.js";
import type { Logger } from "./ports/logger.js";
import type { RepoRef, Vcs } from "./ports/vcs.js";

export interface DriftIssueDeps {
  readonly vcs: Pick<Vcs, "resolveRepo" | "createIssue" | "updateIssue" | "findIssues" | "createComment">;
  readonly issues: DriftIssues;
  readonly drift: Pick<DriftResults, "history">;
  readonly log: Logger;
  /** The code host's web address (`https://github.com`), to link the pull request holding a lock. */
  readonly webBaseUrl?: string;
}

/**
 * One issue per drifted project, kept in step with its checks: opened on the first drifted check,
 * updated in place by later ones (title, counts, diff), closed with a comment by the first check
 * that finds the project in sync. A failed check only updates an open issue: an error says
 * nothing about drift (a provider outage, a bad credential), and opening issues for it would turn
 * one outage into an issue per project; errors show in the log, the metrics and the UI.
 * Failures are logged here, never thrown into the check (it is recorded already).
 */
export function createDriftIssueListener(deps: DriftIssueDeps): DriftListener {
  // One project's issue is updated by one check at a time, in the order the checks finished: two
  // overlapping checks (a /plan during a scheduled one) must not open two issues.
  const lines = new Map<string, Promise<void>>();
  return (event) => {
    const key = `${event.record.repo}\0${event.record.project}`;
    const follow = async (): Promise<void> => {
      try {
        await followCheck(deps, event);
      } catch (err) {
        deps.log.error({ err, drift: { repo: event.record.repo, project: event.record.project, check: event.record.id } }, "could not update the project's drift issue");
      }
    };
    const next = (lines.get(key) ?? Promise.resolve()).then(follow);
    lines.set(key, next);
    void next.then(() => lines.get(key) === next && lines.delete(key));
    return next;
  };
}

async function followCheck(deps: DriftIssueDeps, event: DriftCheckEvent): Promise<void> {
  const { record, previous } = event;
  if (record.state === "started") return;
  const known = await deps.issues.forProject(record.repo, record.project);
  // An older check finishing after a newer one (a slow plan of an earlier commit): the issue already shows news.
  if (known?.checkId != null && known.checkId > record.id) return;
  // Past a crash between opening an issue and recording it, only the issue's marker knows it. It
  // is looked for only where an issue can exist: not after in-sync checks, so a project that
  // stays in sync costs no API call.
  const mayHaveIssue = known?.open === true || record.state === "drifted" || (previous !== null && previous.state !== "in-sync");
  if (!mayHaveIssue) return;
  const repo = await repoRef(deps, record.repo);
  const issue = known?.open ? known.issue : await findByMarker(deps, repo, record);
  const entry = { repo: record.repo, project: record.project, checkId: record.id };

  if (record.state === "in-sync") {
    if (issue === null) return;
    // Closed first: a deleted issue ("gone") gets no comment, and is forgotten all the same.
    const closed = await deps.vcs.updateIssue(repo, issue, { state: "closed" });
    if (closed.status === "updated") await deps.vcs.createComment(repo, issue, renderDriftResolved(record.sha));
    await deps.issues.record({ ...entry, issue, open: false, shownState: "in-sync" });
    deps.log.info({ drift: { repo: record.repo, project: record.project, issue, deleted: closed.status === "gone" } }, "drift resolved: issue closed");
    return;
  }
  const pullUrl = deps.webBaseUrl ? `${deps.webBaseUrl.replace(/\/+$/, "")}/${record.repo}/pull/` : undefined;
  if (record.state === "error") {
    if (issue === null) return;
    const lastDrift = (await deps.drift.history(record.repo, record.project, 50)).find((r) => r.state === "drifted" && r.id < record.id) ?? null;
    const body = renderDriftIssue({ repo: record.repo, project: record.project, latest: { ...record, state: "error" }, lastDrift, ...(pullUrl ? { pullUrl } : {}) });
    // The title keeps the last drift's counts: the error did not measure any.
    const updated = await deps.vcs.updateIssue(repo, issue, { body });
    // Deleted: forgotten; an error opens nothing, the next drifted check opens a new one.
    await deps.issues.record({ ...entry, issue, open: updated.status === "updated", shownState: "error" });
    return;
  }
  const title = driftIssueTitle(record.repo, record.project, record.counts);
  const body = renderDriftIssue({ repo: record.repo, project: record.project, latest: { ...record, state: "drifted" }, ...(pullUrl ? { pullUrl } : {}) });
  if (issue !== null) {
    // Reopened if someone closed it by hand: the drift is still there, and this issue is where it is tracked.
    const updated = await deps.vcs.updateIssue(repo, issue, { title, body, state: "open" });
    if (updated.status === "updated") {
      await deps.issues.record({ ...entry, issue, open: true, shownState: "drifted" });
      return;
    }
    // Deleted on the host (an admin's cleanup): the drift is still there, so it gets a new issue.
    deps.log.warn({ drift: { repo: record.repo, project: record.project, issue } }, "the project's drift issue was deleted: opening a new one");
  }
  const number = await deps.vcs.createIssue(repo, { title, body, labels: [DRIFT_ISSUE_LABEL] });
  await deps.issues.record({ ...entry, issue: number, open: true, shownState: "drifted" });
  deps.log.info({ drift: { repo: record.repo, project: record.project, issue: number } }, "drift found: issue opened");
}

/** The open issue the app opened for this project, found by the marker in its body. */
async function findByMarker(deps: DriftIssueDeps, repo: RepoRef, record: DriftCheckRecord): Promise<number | null> {
  const open = await deps.vcs.findIssues(repo, DRIFT_ISSUE_LABEL);
  const mine = open.find((i) => {
    const marker = i.byApp ? readDriftIssueMarker(i.body) : null;
    return marker !== null && marker.repo.toLowerCase() === record.repo.toLowerCase() && marker.project === record.project;
  });
  return mine?.number ?? null;
}

async function repoRef(deps: DriftIssueDeps, fullName: string): Promise<RepoRef> {
  const [owner = "", name = ""] = fullName.split("/");
  return deps.vcs.resolveRepo(owner, name);
}
