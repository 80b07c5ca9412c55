import type { AuditInput, AuditLog, AuditQuery, AuditRecord } from "../../app/ports/audit.js";
import { StoreError } from "../../app/ports/store-error.js";
import { guard, type StoreContext } from "./store-context.js";
import {
  checkActor, checkGitSha, checkInteger, checkObject, checkPr, checkProject, checkRepo, checkSha256, checkWord, toJson,
} from "./validate.js";

interface AuditRow {
  id: number;
  at: number;
  actor: string;
  action: string;
  repo: string;
  pr: number | null;
  project: string | null;
  head_sha: string | null;
  plan_sha256: string | null;
  result: string;
  duration_ms: number | null;
  detail_json: string | null;
}

function auditFromRow(row: AuditRow): AuditRecord {
  return {
    id: row.id,
    at: row.at,
    actor: row.actor,
    action: row.action,
    repo: row.repo,
    pr: row.pr,
    project: row.project,
    headSha: row.head_sha,
    planSha256: row.plan_sha256,
    result: row.result,
    durationMs: row.duration_ms,
    detail: row.detail_json === null ? null : (JSON.parse(row.detail_json) as unknown),
  };
}

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;
const MAX_DURATION_MS = 366 * 24 * 3600 * 1000;

/**
 * Who did what to which plan, and how it ended; rows are never updated or deleted. Appends need no
 * explicit transaction: each is one INSERT, atomic by itself, with every argument checked first.
 */
export function createAuditRepository(ctx: StoreContext): AuditLog {
  const insert = ctx.db.prepare<
    [number, string, string, string, number | null, string | null, string | null, string | null, string, number | null, string | null],
    AuditRow
  >(
    `INSERT INTO audit (at, actor, action, repo, pr, project, head_sha, plan_sha256, result, duration_ms, detail_json)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
  );
  // NULL parameters mean "no filter", so one statement serves every query shape.
  const select = ctx.db.prepare<{ before: number | null; repo: string | null; pr: number | null; limit: number }, AuditRow>(
    `SELECT * FROM audit
     WHERE (:before IS NULL OR id < :before) AND (:repo IS NULL OR repo = :repo) AND (:pr IS NULL OR pr = :pr)
     ORDER BY id DESC LIMIT :limit`,
  );

  return {
    append: (entry) =>
      guard("writing an audit record", () => {
        const e = checkObject(entry, "audit entry") as Partial<AuditInput>;
        const row = insert.get(
          ctx.now(),
          checkActor(e.actor),
          checkWord(e.action, "action"),
          checkRepo(e.repo),
          e.pr === undefined ? null : checkPr(e.pr),
          e.project === undefined ? null : checkProject(e.project),
          e.headSha === undefined ? null : checkGitSha(e.headSha),
          e.planSha256 === undefined ? null : checkSha256(e.planSha256, "planSha256"),
          checkWord(e.result, "result"),
          e.durationMs === undefined ? null : checkInteger(e.durationMs, "durationMs", 0, MAX_DURATION_MS),
          e.detail === undefined || e.detail === null ? null : toJson(e.detail, "detail"),
        );
        if (row === undefined) throw new StoreError("store-failed", "writing an audit record returned no row");
        return auditFromRow(row);
      }),

    list: (query?: AuditQuery) =>
      guard("reading the audit log", () => {
        const q = query === undefined ? {} : (checkObject(query, "query") as AuditQuery);
        const rows = select.all({
          limit: q.limit === undefined ? DEFAULT_LIMIT : checkInteger(q.limit, "limit", 1, MAX_LIMIT),
          before: q.before === undefined ? null : checkInteger(q.before, "before", 1, Number.MAX_SAFE_INTEGER),
          repo: q.repo === undefined ? null : checkRepo(q.repo),
          pr: q.pr === undefined ? null : checkPr(q.pr),
        });
        return rows.map(auditFromRow);
      }),
  };
}
