import type { CheckRunRecord, CheckRuns } from "../../app/ports/check-runs.js";
import { StoreError } from "../../app/ports/store-error.js";
import { guard, type StoreContext } from "./store-context.js";
import { checkGitSha, checkInteger, checkObject, checkPr, checkRepo } from "./validate.js";

interface CheckRunRow {
  repo: string;
  head_sha: string;
  name: string;
  pr: number | null;
  check_run_id: number;
  signature: string;
  annotations_key: string;
  completed: number;
}

const fromRow = (r: CheckRunRow): CheckRunRecord => ({
  repo: r.repo,
  pr: r.pr,
  headSha: r.head_sha,
  name: r.name,
  checkRunId: r.check_run_id,
  signature: r.signature,
  annotationsKey: r.annotations_key,
  completed: r.completed === 1,
});

function checkText(value: unknown, what: string, max: number): string {
  if (typeof value !== "string" || value === "" || value.length > max || value.includes("\0")) throw new StoreError("invalid-input", `${what} must be a non-empty string of at most ${max} characters`);
  return value;
}

/** One row per check name and commit: the check run that shows it on the code host. */
export function createCheckRunRepository(ctx: StoreContext): CheckRuns {
  const { db } = ctx;
  const forHead = db.prepare<[string, string], CheckRunRow>("SELECT * FROM check_runs WHERE repo = ? AND head_sha = ? ORDER BY name");
  const byId = db.prepare<[string, number], CheckRunRow>("SELECT * FROM check_runs WHERE repo = ? AND check_run_id = ?");
  const upsert = db.prepare<[string, string, string, number | null, number, string, string, number, number]>(
    `INSERT INTO check_runs (repo, head_sha, name, pr, check_run_id, signature, annotations_key, completed, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (repo, head_sha, name) DO UPDATE SET pr = coalesce(excluded.pr, check_runs.pr), check_run_id = excluded.check_run_id,
       signature = excluded.signature, annotations_key = excluded.annotations_key, completed = excluded.completed, updated_at = excluded.updated_at`,
  );
  const checkRunId = (id: unknown) => checkInteger(id, "checkRunId", 1, Number.MAX_SAFE_INTEGER);

  return {
    forHead: (repo, headSha) => guard("listing a commit's check runs", () => forHead.all(checkRepo(repo), checkGitSha(headSha)).map(fromRow)),
    byId: (repo, id) =>
      guard("reading a check run", () => {
        const row = byId.get(checkRepo(repo), checkRunId(id));
        return row === undefined ? null : fromRow(row);
      }),
    save: (record) =>
      guard("saving a check run", () => {
        const r = checkObject(record, "record") as Partial<CheckRunRecord>;
        upsert.run(
          checkRepo(r.repo),
          checkGitSha(r.headSha),
          checkText(r.name, "name", 1000),
          r.pr === null || r.pr === undefined ? null : checkPr(r.pr),
          checkRunId(r.checkRunId),
          checkText(r.signature, "signature", 200),
          checkText(r.annotationsKey, "annotationsKey", 200),
          r.completed === true ? 1 : 0,
          ctx.now(),
        );
      }),
  };
}
