import { randomBytes } from "node:crypto";
import type { NewPlan, PlanRecord, PlanState, PlanStore, PlanSummary } from "../../app/ports/plans.js";
import type { PolicyResult } from "../../domain/policy/policy-result.js";
import { StoreError } from "../../app/ports/store-error.js";
import { guard, immediate, type StoreContext } from "./store-context.js";
import { checkAbsolutePath, checkGitSha, checkInteger, checkObject, checkPr, checkProject, checkRepo, checkSha256, toJson } from "./validate.js";

export interface PlanRow {
  id: number;
  repo: string;
  pr: number;
  project: string;
  head_sha: string;
  plan_file: string | null;
  sha256: string | null;
  summary_json: string;
  policy_json: string | null;
  content_hash: string | null;
  posted_at: number | null;
  state: PlanState;
  created_at: number;
  updated_at: number;
}

export function planFromRow(row: PlanRow): PlanRecord {
  return {
    id: row.id,
    repo: row.repo,
    pr: row.pr,
    project: row.project,
    headSha: row.head_sha,
    file: row.plan_file !== null && row.sha256 !== null ? { path: row.plan_file, sha256: row.sha256 } : null,
    // Written by save() from the typed NewPlan: the JSON has the shape it was given.
    summary: JSON.parse(row.summary_json) as PlanSummary,
    policy: row.policy_json === null ? null : (JSON.parse(row.policy_json) as PolicyResult),
    contentHash: row.content_hash,
    postedAt: row.posted_at,
    state: row.state,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

// A plan whose apply is queued or running keeps its file and state until the apply ends: deleting
// the file under a running apply, or discarding the record it will mark applied, would lose track.
const NO_ACTIVE_APPLY = "NOT EXISTS (SELECT 1 FROM jobs j WHERE j.plan_id = p.id AND j.state IN ('queued', 'running'))";

/** Saved plans: one current plan per repo+PR+project, older ones superseded, never deleted. */
export function createPlanRepository(ctx: StoreContext): PlanStore {
  const { db } = ctx;
  const supersede = db.prepare<[number, string, number, string]>(
    "UPDATE plans SET state = 'superseded', updated_at = ? WHERE repo = ? AND pr = ? AND project = ? AND state = 'current'",
  );
  const insert = db.prepare<[string, number, string, string, string | null, string | null, string, string | null, string | null, number, number], PlanRow>(
    `INSERT INTO plans (repo, pr, project, head_sha, plan_file, sha256, summary_json, policy_json, content_hash, state, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'current', ?, ?) RETURNING *`,
  );
  const everyPlan = db.prepare<[string, number], PlanRow>("SELECT * FROM plans WHERE repo = ? AND pr = ? ORDER BY id");
  const posted = db.prepare<[number, number]>("UPDATE plans SET posted_at = ? WHERE id = ? AND posted_at IS NULL");
  const key = db.prepare<[], { key: Buffer }>("SELECT key FROM instance_keys WHERE name = 'plan-content'");
  const addKey = db.prepare<[Buffer]>("INSERT INTO instance_keys (name, key) VALUES ('plan-content', ?) ON CONFLICT (name) DO NOTHING");
  const current = db.prepare<[string, number, string], PlanRow>(
    "SELECT * FROM plans WHERE repo = ? AND pr = ? AND project = ? AND state = 'current'",
  );
  const newestPerProject = db.prepare<[string, number], PlanRow>(
    "SELECT * FROM plans WHERE id IN (SELECT max(id) FROM plans WHERE repo = ? AND pr = ? GROUP BY project) ORDER BY project",
  );
  const filesToDelete = db.prepare<[string, number], { plan_file: string }>(
    `SELECT DISTINCT plan_file FROM plans p
     WHERE repo = ? AND pr = ? AND state <> 'discarded' AND plan_file IS NOT NULL AND ${NO_ACTIVE_APPLY}
     ORDER BY plan_file`,
  );
  const discard = db.prepare<[number, string, number]>(
    `UPDATE plans AS p SET state = 'discarded', updated_at = ?
     WHERE repo = ? AND pr = ? AND state IN ('current', 'superseded') AND ${NO_ACTIVE_APPLY}`,
  );

  return {
    save: (plan) =>
      guard("saving a plan", () => {
        const input = checkObject(plan, "plan") as Partial<NewPlan>;
        const repo = checkRepo(input.repo);
        const pr = checkPr(input.pr);
        const project = checkProject(input.project);
        const headSha = checkGitSha(input.headSha);
        let file: { path: string; sha256: string } | null = null;
        if (input.file !== null) {
          const f = checkObject(input.file, "file");
          file = { path: checkAbsolutePath(f.path, "file.path"), sha256: checkSha256(f.sha256, "file.sha256") };
        }
        if (input.summary === undefined) throw new StoreError("invalid-input", "summary is required (use {} for none)");
        const summary = toJson(input.summary, "summary");
        const policy = input.policy === undefined || input.policy === null ? null : toJson(input.policy, "policy");
        const contentHash = input.contentHash === undefined || input.contentHash === null ? null : checkSha256(input.contentHash, "contentHash");
        return immediate(ctx, () => {
          const now = ctx.now();
          supersede.run(now, repo, pr, project);
          const row = insert.get(repo, pr, project, headSha, file?.path ?? null, file?.sha256 ?? null, summary, policy, contentHash, now, now);
          if (row === undefined) throw new StoreError("store-failed", "saving a plan returned no row");
          return planFromRow(row);
        });
      }),

    current: (repo, pr, project) =>
      guard("reading the current plan", () => {
        const row = current.get(checkRepo(repo), checkPr(pr), checkProject(project));
        return row === undefined ? null : planFromRow(row);
      }),

    forPr: (repo, pr) =>
      guard("reading a PR's plans", () => newestPerProject.all(checkRepo(repo), checkPr(pr)).map(planFromRow)),

    history: (repo, pr) => guard("reading a PR's plan history", () => everyPlan.all(checkRepo(repo), checkPr(pr)).map(planFromRow)),

    markPosted: (ids) =>
      guard("recording posted plans", () => {
        if (!Array.isArray(ids)) throw new StoreError("invalid-input", "ids must be an array of plan ids");
        const checked = ids.map((id: unknown) => checkInteger(id, "plan id", 1, Number.MAX_SAFE_INTEGER));
        immediate(ctx, () => {
          const now = ctx.now();
          for (const id of checked) posted.run(now, id);
        });
      }),

    contentKey: () =>
      guard("reading the content key", () => {
        // Made on first use, under the write lock: two processes opening a new database agree.
        const row =
          key.get() ??
          immediate(ctx, () => {
            addKey.run(randomBytes(32));
            return key.get();
          });
        if (row === undefined) throw new StoreError("store-failed", "the content key vanished after it was made");
        return new Uint8Array(row.key);
      }),

    discardPr: (repo, pr) =>
      guard("discarding a PR's plans", () => {
        const r = checkRepo(repo);
        const n = checkPr(pr);
        return immediate(ctx, () => {
          const files = filesToDelete.all(r, n).map((row) => row.plan_file);
          discard.run(ctx.now(), r, n);
          return files;
        });
      }),
  };
}
