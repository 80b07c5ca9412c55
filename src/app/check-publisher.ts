import { createHash } from "node:crypto";
import type { CheckRunRecord, CheckRuns } from "./ports/check-runs.js";
import type { Logger } from "./ports/logger.js";
import type { CheckReport, RepoRef, Vcs } from "./ports/vcs.js";
import { repoNameOf } from "./pr-run.js";

/** Where checks go: a commit, and the pull request whose run they show (null when unknown). */
export interface CheckTarget {
  readonly pr: number | null;
  readonly headSha: string;
}

export type CheckPublishResult = { readonly ok: true } | { readonly ok: false; readonly error: unknown };

export interface CheckPublisher {
  /** Shows `reports` on the commit: each updates the check of its name, or creates it. */
  publish(repo: RepoRef, target: CheckTarget, reports: readonly CheckReport[]): Promise<CheckPublishResult>;
}

const digest = (value: unknown) => createHash("sha256").update(JSON.stringify(value)).digest("hex");
const NO_ANNOTATIONS = digest([]);

/**
 * Check runs found again through the store: a publish (after a restart too) updates the check
 * run that already shows a name, so the host never holds two of one name for one commit unless
 * tfgate means it to. It does mean it twice, because GitHub keeps a check run's annotations and
 * never reopens what is completed in the Checks tab: a check whose annotations changed, or that
 * runs again after it completed, gets a new check run (GitHub shows the newest of a name).
 * Writes for one commit are serialised, so two publishes cannot both create a check.
 */
export function createCheckPublisher(deps: { readonly vcs: Vcs; readonly checks: CheckRuns; readonly log: Logger }): CheckPublisher {
  const chains = new Map<string, Promise<unknown>>();

  async function write(repo: RepoRef, target: CheckTarget, reports: readonly CheckReport[]): Promise<CheckPublishResult> {
    const repoName = repoNameOf(repo);
    let result: CheckPublishResult = { ok: true };
    try {
      const known = new Map((await deps.checks.forHead(repoName, target.headSha)).map((r) => [r.name, r]));
      for (const report of reports) {
        const record = known.get(report.name);
        const signature = digest(report);
        if (record?.signature === signature) continue;
        const annotationsKey = digest(report.annotations);
        const completed = report.state.status === "completed";
        const fresh = record === undefined || (record.completed && !completed) || (record.annotationsKey !== annotationsKey && record.annotationsKey !== NO_ANNOTATIONS);
        let checkRunId: number;
        if (fresh) checkRunId = await deps.vcs.createCheck(repo, target.headSha, report);
        else {
          checkRunId = record.checkRunId;
          // Annotations already shown are not sent again: the host would show them twice.
          await deps.vcs.updateCheck(repo, checkRunId, record.annotationsKey === annotationsKey ? { ...report, annotations: [] } : report);
        }
        const saved: CheckRunRecord = { repo: repoName, pr: target.pr ?? record?.pr ?? null, headSha: target.headSha, name: report.name, checkRunId, signature, annotationsKey, completed };
        await deps.checks.save(saved);
      }
    } catch (err) {
      deps.log.warn({ err, repo: repoName, sha: target.headSha }, "could not publish a check run");
      result = { ok: false, error: err };
    }
    return result;
  }

  return {
    publish(repo, target, reports) {
      const key = `${repoNameOf(repo)}@${target.headSha}`;
      const next = (chains.get(key) ?? Promise.resolve()).then(() => write(repo, target, reports));
      chains.set(key, next);
      void next.then(() => {
        if (chains.get(key) === next) chains.delete(key);
      });
      return next;
    },
  };
}
