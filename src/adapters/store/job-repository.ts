import type { ActiveJobState, InterruptedApply, InterruptedJob, JobKind, JobQuery, JobRecord, JobState, JobStore, NewPlanJob } from "../../app/ports/jobs.js";
import { StoreError } from "../../app/ports/store-error.js";
import { createApplyClaims } from "./apply-claims.js";
import { guard, immediate, type StoreContext } from "./store-context.js";
import { checkActor, checkGitSha, checkId, checkInteger, checkObject, checkPr, checkProject, checkRepo, clipText } from "./validate.js";

export interface JobRow {
  id: string;
  kind: JobKind;
  repo: string;
  pr: number;
  project: string;
  head_sha: string;
  plan_id: number | null;
  actor: string | null;
  state: JobState;
  error: string | null;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  updated_at: number;
}

export function jobFromRow(row: JobRow): JobRecord {
  return {
    id: row.id,
    kind: row.kind,
    repo: row.repo,
    pr: row.pr,
    project: row.project,
    headSha: row.head_sha,
    planId: row.plan_id,
    actor: row.actor,
    state: row.state,
    error: row.error,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    updatedAt: row.updated_at,
  };
}

/** The job lifecycle. Finished states have no way out: a finished job never restarts. */
const NEXT: Readonly<Record<JobState, readonly JobState[]>> = {
  queued: ["running", "failed", "cancelled", "interrupted"],
  running: ["succeeded", "failed", "cancelled", "interrupted"],
  succeeded: [],
  failed: [],
  cancelled: [],
  interrupted: [],
};
const STATES = Object.keys(NEXT) as JobState[];

const INTERRUPTED_MESSAGE = "tfgate stopped (crash or restart) before this job finished";

/** Plan and apply jobs as durable records, so a restart can tell each PR what was cut off. */
export function createJobRepository(ctx: StoreContext): JobStore {
  const { db } = ctx;
  const insert = db.prepare<[string, string, number, string, string, string | null, number, number], JobRow>(
    `INSERT INTO jobs (id, kind, repo, pr, project, head_sha, plan_id, actor, state, created_at, updated_at)
     VALUES (?, 'plan', ?, ?, ?, ?, NULL, ?, 'queued', ?, ?) ON CONFLICT (id) DO NOTHING RETURNING *`,
  );
  const byId = db.prepare<[string], JobRow>("SELECT * FROM jobs WHERE id = ?");
  const update = db.prepare<{ id: string; state: JobState; error: string | null; now: number }, JobRow>(
    `UPDATE jobs SET state = :state, error = :error, updated_at = :now,
       started_at = CASE WHEN :state = 'running' THEN :now ELSE started_at END,
       finished_at = CASE WHEN :state IN ('queued', 'running') THEN NULL ELSE :now END
     WHERE id = :id RETURNING *`,
  );
  const markApplied = db.prepare<[number, number]>("UPDATE plans SET state = 'applied', updated_at = ? WHERE id = ?");
  // NULL parameters mean "no filter", so one statement serves every query shape.
  const recent = db.prepare<{ repo: string | null; pr: number | null; limit: number }, JobRow>(
    `SELECT * FROM jobs WHERE (:repo IS NULL OR repo = :repo) AND (:pr IS NULL OR pr = :pr)
     ORDER BY created_at DESC, rowid DESC LIMIT :limit`,
  );
  const active = db.prepare<[], JobRow>("SELECT * FROM jobs WHERE state IN ('queued', 'running') ORDER BY created_at, rowid");
  const interrupt = db.prepare<{ id: string; error: string; now: number }>(
    "UPDATE jobs SET state = 'interrupted', error = :error, updated_at = :now, finished_at = :now WHERE id = :id",
  );
  const auditInterruptedApply = db.prepare<{ at: number; id: string; message: string }>(
    `INSERT INTO audit (at, actor, action, repo, pr, project, head_sha, plan_sha256, result, duration_ms, detail_json)
     SELECT :at, coalesce(j.actor, 'tfgate'), 'apply', j.repo, j.pr, j.project, j.head_sha, p.sha256, 'interrupted',
            CASE WHEN j.started_at IS NULL THEN NULL ELSE :at - j.started_at END,
            json_object('jobId', j.id, 'message', :message)
     FROM jobs j JOIN plans p ON p.id = j.plan_id WHERE j.id = :id`,
  );
  const reported = db.prepare<[number, string]>("UPDATE jobs SET reported_at = ? WHERE id = ? AND state = 'interrupted'");
  const interruptedApplies = db.prepare<[string], { id: string; pr: number; project: string; finished_at: number; reported_at: number | null }>(
    "SELECT id, pr, project, finished_at, reported_at FROM jobs WHERE kind = 'apply' AND state = 'interrupted' AND repo = ? ORDER BY finished_at, rowid",
  );
  const claims = createApplyClaims(ctx);

  return {
    create: (job) =>
      guard("creating a job", () => {
        const input = checkObject(job, "job") as Partial<NewPlanJob>;
        const id = checkId(input.id, "job id");
        const repo = checkRepo(input.repo);
        const pr = checkPr(input.pr);
        const project = checkProject(input.project);
        const headSha = checkGitSha(input.headSha);
        const actor = input.actor === undefined ? null : checkActor(input.actor);
        const now = ctx.now();
        const row = insert.get(id, repo, pr, project, headSha, actor, now, now);
        if (row === undefined) throw new StoreError("conflict", `a job with id ${id} already exists`);
        return jobFromRow(row);
      }),

    recent: (query?: JobQuery) =>
      guard("reading recent jobs", () => {
        const q = query === undefined ? {} : (checkObject(query, "query") as JobQuery);
        return recent
          .all({
            limit: q.limit === undefined ? 100 : checkInteger(q.limit, "limit", 1, 1000),
            repo: q.repo === undefined ? null : checkRepo(q.repo),
            pr: q.pr === undefined ? null : checkPr(q.pr),
          })
          .map(jobFromRow);
      }),

    get: (id) =>
      guard("reading a job", () => {
        const row = byId.get(checkId(id, "job id"));
        return row === undefined ? null : jobFromRow(row);
      }),

    transition: (id, to, detail) =>
      guard("changing a job's state", () => {
        const jobId = checkId(id, "job id");
        if (!STATES.includes(to)) throw new StoreError("invalid-input", `unknown job state ${JSON.stringify(to)}`);
        const error = detail?.error === undefined ? null : clipText(detail.error, "error");
        if (error !== null && (to === "succeeded" || to === "running")) {
          throw new StoreError("invalid-input", `a job moving to ${to} carries no error`);
        }
        return immediate(ctx, () => {
          const row = byId.get(jobId);
          if (row === undefined) throw new StoreError("not-found", `no job with id ${jobId}`);
          if (!NEXT[row.state].includes(to)) {
            throw new StoreError("invalid-transition", `job ${jobId} is ${row.state} and cannot become ${to}`);
          }
          const now = ctx.now();
          const updated = update.get({ id: jobId, state: to, error, now });
          if (updated === undefined) throw new StoreError("store-failed", `job ${jobId} vanished while changing state`);
          // Same transaction: a crash cannot leave a succeeded apply whose plan still looks unapplied.
          if (updated.kind === "apply" && to === "succeeded" && updated.plan_id !== null) markApplied.run(now, updated.plan_id);
          return jobFromRow(updated);
        });
      }),

    markInterrupted: () =>
      guard("marking interrupted jobs", () =>
        immediate(ctx, () => {
          const now = ctx.now();
          const result: InterruptedJob[] = [];
          for (const row of active.all()) {
            interrupt.run({ id: row.id, error: INTERRUPTED_MESSAGE, now });
            // The crash case is exactly where the server might crash again before auditing, so
            // the record that an apply was cut off is written with the state change itself.
            if (row.kind === "apply") auditInterruptedApply.run({ at: now, id: row.id, message: INTERRUPTED_MESSAGE });
            const job = byId.get(row.id);
            if (job !== undefined) result.push({ job: jobFromRow(job), previousState: row.state as ActiveJobState });
          }
          return result;
        }),
      ),

    claimApply: (request) => claims.claim(request),

    markReported: (ids) =>
      guard("recording reported jobs", () => {
        if (!Array.isArray(ids)) throw new StoreError("invalid-input", "ids must be an array of job ids");
        const checked = ids.map((id: unknown) => checkId(id, "job id"));
        immediate(ctx, () => {
          const now = ctx.now();
          for (const id of checked) reported.run(now, id);
        });
      }),

    interruptedApplies: (repo) =>
      guard("reading interrupted applies", () =>
        interruptedApplies.all(checkRepo(repo)).map(
          (r): InterruptedApply => ({ jobId: r.id, pr: r.pr, project: r.project, interruptedAt: r.finished_at, reportedAt: r.reported_at }),
        ),
      ),
  };
}
