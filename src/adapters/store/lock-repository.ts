import { StoreError } from "../../app/ports/store-error.js";
import { type LockRecord, type Locks } from "../../app/ports/locks.js";
import { guard, immediate, type StoreContext } from "./store-context.js";
import { checkPr, checkProject, checkRepo } from "./validate.js";
import { compareText } from "../../domain/compare-text.js";

interface LockRow {
  repo: string;
  project: string;
  pr: number;
  acquired_at: number;
}

function lockFromRow(row: LockRow): LockRecord {
  return { repo: row.repo, project: row.project, pr: row.pr, acquiredAt: row.acquired_at };
}

/** Project locks in the same database as the rest of the store, behind their own port. */
export function createLockRepository(ctx: StoreContext): Locks {
  const { db } = ctx;
  const insert = db.prepare<[string, string, number, number]>(
    "INSERT INTO locks (repo, project, pr, acquired_at) VALUES (?, ?, ?, ?) ON CONFLICT (repo, project) DO NOTHING",
  );
  const get = db.prepare<[string, string], LockRow>("SELECT * FROM locks WHERE repo = ? AND project = ?");
  const remove = db.prepare<[string, string]>("DELETE FROM locks WHERE repo = ? AND project = ?");
  const removeForPr = db.prepare<[string, number], LockRow>("DELETE FROM locks WHERE repo = ? AND pr = ? RETURNING *");
  const all = db.prepare<[], LockRow>("SELECT * FROM locks ORDER BY repo, project");
  const ofRepo = db.prepare<[string], LockRow>("SELECT * FROM locks WHERE repo = ? ORDER BY project");

  return {
    acquire: (repo, project, pr) =>
      guard("acquiring a lock", () => {
        const r = checkRepo(repo);
        const p = checkProject(project);
        const n = checkPr(pr);
        return immediate(ctx, () => {
          insert.run(r, p, n, ctx.now());
          const holder = get.get(r, p);
          if (holder === undefined) throw new StoreError("store-failed", `the lock on ${r} ${p} vanished while acquiring it`);
          if (holder.pr === n) return { status: "acquired" as const };
          return { status: "held" as const, by: holder.pr, since: holder.acquired_at };
        });
      }),

    release: (repo, project, pr) =>
      guard("releasing a lock", () => {
        const r = checkRepo(repo);
        const p = checkProject(project);
        const n = pr === undefined ? undefined : checkPr(pr);
        return immediate(ctx, () => {
          const holder = get.get(r, p);
          if (holder === undefined) return { status: "not-locked" as const };
          if (n !== undefined && holder.pr !== n) return { status: "held" as const, by: holder.pr };
          remove.run(r, p);
          return { status: "released" as const, lock: lockFromRow(holder) };
        });
      }),

    releaseAllForPr: (repo, pr) =>
      guard("releasing a PR's locks", () => {
        const r = checkRepo(repo);
        const n = checkPr(pr);
        const rows = immediate(ctx, () => removeForPr.all(r, n));
        return rows.map(lockFromRow).sort((a, b) => compareText(a.project, b.project));
      }),

    list: (repo) =>
      guard("listing locks", () => (repo === undefined ? all.all() : ofRepo.all(checkRepo(repo))).map(lockFromRow)),
  };
}
