import type { DriftIssueRecord, DriftIssues } from "../../app/ports/drift-issues.js";
import { StoreError } from "../../app/ports/store-error.js";
import { DRIFT_STATES, type DriftState } from "../../domain/drift/drift-outcome.js";
import { guard, immediate, type StoreContext } from "./store-context.js";
import { checkInteger, checkPr, checkProject, checkRepo } from "./validate.js";

interface IssueRow {
  repo: string;
  project: string;
  issue: number;
  open: number;
  shown_state: DriftState;
  check_id: number | null;
  updated_at: number;
}

function recordOf(r: IssueRow): DriftIssueRecord {
  return { repo: r.repo, project: r.project, issue: r.issue, open: r.open === 1, shownState: r.shown_state, checkId: r.check_id, updatedAt: r.updated_at };
}

/** Drift issues in SQLite: one row per project, replaced when a new issue is opened for it. */
export function createDriftIssueRepository(ctx: StoreContext): DriftIssues {
  const { db } = ctx;
  const byProject = db.prepare<[string, string], IssueRow>("SELECT * FROM drift_issues WHERE repo = ? AND project = ?");
  const byIssue = db.prepare<[string, number], IssueRow>("SELECT * FROM drift_issues WHERE repo = ? AND issue = ?");
  // Another project holding the issue number could only be a stale row (an issue number is one
  // project's): it gives way, so the unique index never refuses a fresh record.
  const dropOther = db.prepare<[string, number, string]>("DELETE FROM drift_issues WHERE repo = ? AND issue = ? AND project <> ?");
  const upsert = db.prepare<[string, string, number, number, string, number | null, number]>(
    `INSERT INTO drift_issues (repo, project, issue, open, shown_state, check_id, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (repo, project) DO UPDATE SET issue = excluded.issue, open = excluded.open, shown_state = excluded.shown_state,
       check_id = excluded.check_id, updated_at = excluded.updated_at`,
  );
  return {
    forProject: (repo, project) =>
      guard("reading a drift issue", () => {
        const row = byProject.get(checkRepo(repo), checkProject(project));
        return row ? recordOf(row) : null;
      }),
    forIssue: (repo, issue) =>
      guard("reading a drift issue", () => {
        const row = byIssue.get(checkRepo(repo), checkPr(issue, "issue"));
        return row ? recordOf(row) : null;
      }),
    record: (entry) =>
      guard("recording a drift issue", () => {
        const repo = checkRepo(entry.repo);
        const project = checkProject(entry.project);
        const issue = checkPr(entry.issue, "issue");
        if (!DRIFT_STATES.includes(entry.shownState)) throw new StoreError("invalid-input", `shownState must be one of ${DRIFT_STATES.join(", ")}`);
        const checkId = entry.checkId === null ? null : checkInteger(entry.checkId, "checkId", 1, Number.MAX_SAFE_INTEGER);
        return immediate(ctx, () => {
          dropOther.run(repo, issue, project);
          upsert.run(repo, project, issue, entry.open ? 1 : 0, entry.shownState, checkId, ctx.now());
          return recordOf(byProject.get(repo, project) as IssueRow);
        });
      }),
  };
}
