import type { DriftCheckRecord, DriftResults } from "../../app/ports/drift-results.js";
import { StoreError } from "../../app/ports/store-error.js";
import type { DriftOutcome } from "../../domain/drift/drift-outcome.js";
import type { PolicyResult } from "../../domain/policy/policy-result.js";
import { guard, immediate, type StoreContext } from "./store-context.js";
import { checkGitSha, checkInteger, checkPr, checkProject, checkRepo, clipText, toJson } from "./validate.js";

interface DriftRow {
  id: number;
  repo: string;
  project: string;
  sha: string;
  scheduled_for: number;
  state: DriftCheckRecord["state"];
  add_count: number | null;
  change_count: number | null;
  destroy_count: number | null;
  replace_count: number | null;
  diff: string | null;
  policy_json: string | null;
  error: string | null;
  lock_pr: number | null;
  started_at: number;
  checked_at: number | null;
  resumes: number;
}

function recordOf(r: DriftRow): DriftCheckRecord {
  return {
    id: r.id,
    repo: r.repo,
    project: r.project,
    sha: r.sha,
    scheduledFor: r.scheduled_for,
    state: r.state,
    counts: r.add_count === null ? null : { add: r.add_count, change: r.change_count ?? 0, destroy: r.destroy_count ?? 0, replace: r.replace_count ?? 0 },
    diff: r.diff,
    policy: r.policy_json === null ? null : (JSON.parse(r.policy_json) as PolicyResult),
    error: r.error,
    lockedBy: r.lock_pr,
    startedAt: r.started_at,
    checkedAt: r.checked_at,
    resumes: r.resumes,
  };
}

const MAX_TIME = 2 ** 47;

/** Drift checks in SQLite: one row per check, history kept. */
export function createDriftCheckRepository(ctx: StoreContext): DriftResults {
  const { db } = ctx;
  const insert = db.prepare<[string, string, string, number, number]>(
    "INSERT INTO drift_checks (repo, project, sha, scheduled_for, state, started_at) VALUES (?, ?, ?, ?, 'started', ?) ON CONFLICT DO NOTHING",
  );
  const started = db.prepare<[string, string], DriftRow>("SELECT * FROM drift_checks WHERE repo = ? AND project = ? AND state = 'started'");
  const byId = db.prepare<[number], DriftRow>("SELECT * FROM drift_checks WHERE id = ?");
  const finish = db.prepare<[string, number | null, number | null, number | null, number | null, string | null, string | null, string | null, number | null, number, number]>(
    `UPDATE drift_checks SET state = ?, add_count = ?, change_count = ?, destroy_count = ?, replace_count = ?, diff = ?, policy_json = ?, error = ?, lock_pr = ?, checked_at = ?
     WHERE id = ? AND state = 'started'`,
  );
  const unfinished = db.prepare<[], DriftRow>("SELECT * FROM drift_checks WHERE state = 'started' ORDER BY id");
  const resumed = db.prepare<[number]>("UPDATE drift_checks SET resumes = resumes + 1 WHERE id = ?");
  const gaveUp = db.prepare<[string, number, number]>("UPDATE drift_checks SET state = 'error', error = ?, checked_at = ? WHERE id = ?");
  const latestAll = db.prepare<[], DriftRow>(
    "SELECT d.* FROM drift_checks d JOIN (SELECT max(id) AS id FROM drift_checks GROUP BY repo, project) m ON d.id = m.id ORDER BY d.repo, d.project",
  );
  const latestOf = db.prepare<[string], DriftRow>(
    "SELECT d.* FROM drift_checks d JOIN (SELECT max(id) AS id FROM drift_checks WHERE repo = ? GROUP BY project) m ON d.id = m.id ORDER BY d.project",
  );
  const history = db.prepare<[string, string, number], DriftRow>("SELECT * FROM drift_checks WHERE repo = ? AND project = ? ORDER BY id DESC LIMIT ?");
  const repos = db.prepare<[], { repo: string }>("SELECT repo FROM pr_states UNION SELECT repo FROM plans ORDER BY repo");

  return {
    begin: (check) =>
      guard("recording a drift check", () => {
        const repo = checkRepo(check.repo);
        const project = checkProject(check.project);
        const sha = checkGitSha(check.sha, "sha");
        const slot = checkInteger(check.scheduledFor, "scheduledFor", 0, MAX_TIME);
        return immediate(ctx, () => {
          const info = insert.run(repo, project, sha, slot, ctx.now());
          if (info.changes === 1) return { status: "started" as const, id: Number(info.lastInsertRowid) };
          const running = started.get(repo, project);
          if (running === undefined) throw new StoreError("store-failed", `the started drift check of ${repo} ${project} vanished`);
          return { status: "busy" as const, running: recordOf(running) };
        });
      }),

    finish: (id, outcome: DriftOutcome, lockedBy) =>
      guard("finishing a drift check", () => {
        const n = checkInteger(id, "id", 1, Number.MAX_SAFE_INTEGER);
        const lock = lockedBy === null ? null : checkPr(lockedBy, "lockedBy");
        const counts = outcome.state === "drifted" ? outcome.counts : null;
        const diff = outcome.state === "drifted" && outcome.diff !== null ? clipText(outcome.diff, "diff") : null;
        const error = outcome.state === "error" ? clipText(outcome.message, "error") : null;
        const policy = outcome.state === "drifted" && outcome.policy ? toJson(outcome.policy, "policy") : null;
        return immediate(ctx, () => {
          const info = finish.run(outcome.state, counts?.add ?? null, counts?.change ?? null, counts?.destroy ?? null, counts?.replace ?? null, diff, policy, error, lock, ctx.now(), n);
          const row = byId.get(n);
          if (row === undefined) throw new StoreError("not-found", `no drift check ${n}`);
          if (info.changes === 0) throw new StoreError("invalid-transition", `drift check ${n} is already finished (${row.state})`);
          return recordOf(row);
        });
      }),

    resumeUnfinished: (maxResumes) =>
      guard("resuming drift checks", () =>
        immediate(ctx, () => {
          const out: DriftCheckRecord[] = [];
          for (const row of unfinished.all()) {
            if (row.resumes >= maxResumes) {
              gaveUp.run(`interrupted by ${row.resumes + 1} stops of tfgate: not run again`, ctx.now(), row.id);
              continue;
            }
            resumed.run(row.id);
            out.push(recordOf({ ...row, resumes: row.resumes + 1 }));
          }
          return out;
        }),
      ),

    latest: (repo) => guard("listing drift checks", () => (repo === undefined ? latestAll.all() : latestOf.all(checkRepo(repo))).map(recordOf)),

    history: (repo, project, limit = 50) =>
      guard("listing a project's drift checks", () => history.all(checkRepo(repo), checkProject(project), checkInteger(limit, "limit", 1, 1000)).map(recordOf)),

    repositories: () => guard("listing repositories", () => repos.all().map((r) => r.repo)),
  };
}
