import type { ApplyClaim, ApplyClaimRequest } from "../../app/ports/jobs.js";
import { guard, immediate, type StoreContext } from "./store-context.js";
import { planFromRow, type PlanRow } from "./plan-repository.js";
import { checkActor, checkGitSha, checkId, checkObject, checkPr, checkProject, checkRepo, checkSha256 } from "./validate.js";

export interface ApplyClaims {
  claim(request: ApplyClaimRequest): Promise<ApplyClaim>;
}

/**
 * Decides which `/apply` starts the apply. Everything is read and the job written under one
 * BEGIN IMMEDIATE transaction, so among any number of concurrent claims — in one process or
 * several on the same file — exactly one sees no active apply and creates the job; the others
 * then see that job. The partial unique index jobs_one_active_apply backs this up in the schema.
 */
export function createApplyClaims(ctx: StoreContext): ApplyClaims {
  const { db } = ctx;
  const activeApply = db.prepare<[string, string], { id: string }>(
    "SELECT id FROM jobs WHERE kind = 'apply' AND repo = ? AND project = ? AND state IN ('queued', 'running')",
  );
  const matchingPlan = db.prepare<[string, number, string, string, string], PlanRow>(
    "SELECT * FROM plans WHERE repo = ? AND pr = ? AND project = ? AND head_sha = ? AND sha256 = ? ORDER BY id DESC LIMIT 1",
  );
  const currentPlan = db.prepare<[string, number, string], { head_sha: string; sha256: string | null }>(
    "SELECT head_sha, sha256 FROM plans WHERE repo = ? AND pr = ? AND project = ? AND state = 'current'",
  );
  const appliedBy = db.prepare<[number], { id: string }>(
    "SELECT id FROM jobs WHERE plan_id = ? AND state = 'succeeded' ORDER BY updated_at DESC, rowid DESC LIMIT 1",
  );
  // Only an apply that had started counts: one still queued at the crash never touched anything.
  const cutOff = db.prepare<[number], { id: string }>(
    "SELECT id FROM jobs WHERE plan_id = ? AND state = 'interrupted' AND started_at IS NOT NULL ORDER BY rowid DESC LIMIT 1",
  );
  const lockHolder = db.prepare<[string, string], { pr: number }>("SELECT pr FROM locks WHERE repo = ? AND project = ?");
  const insert = db.prepare<[string, string, number, string, string, number, string, number, number]>(
    `INSERT INTO jobs (id, kind, repo, pr, project, head_sha, plan_id, actor, state, created_at, updated_at)
     VALUES (?, 'apply', ?, ?, ?, ?, ?, ?, 'queued', ?, ?)`,
  );

  return {
    claim: (request) =>
      guard("claiming an apply", () => {
        const input = checkObject(request, "request") as Partial<ApplyClaimRequest>;
        const repo = checkRepo(input.repo);
        const pr = checkPr(input.pr);
        const project = checkProject(input.project);
        const headSha = checkGitSha(input.headSha);
        const sha256 = checkSha256(input.planSha256, "planSha256");
        const actor = checkActor(input.actor);

        return immediate(ctx, (): ApplyClaim => {
          const running = activeApply.get(repo, project);
          if (running !== undefined) return { status: "already-applying", jobId: running.id };

          const plan = matchingPlan.get(repo, pr, project, headSha, sha256);
          if (plan?.state === "applied") {
            return { status: "already-applied", jobId: appliedBy.get(plan.id)?.id ?? null };
          }
          if (plan === undefined || plan.state !== "current") {
            const current = currentPlan.get(repo, pr, project);
            return { status: "plan-not-current", current: current === undefined ? null : { headSha: current.head_sha, sha256: current.sha256 } };
          }
          // An apply cut off mid-way left infrastructure in an unknown state: re-running the same
          // saved plan is not ours to decide. A human checks and runs /plan for a fresh plan.
          const interrupted = cutOff.get(plan.id);
          if (interrupted !== undefined) return { status: "apply-interrupted", jobId: interrupted.id };

          const holder = lockHolder.get(repo, project);
          if (holder?.pr !== pr) return { status: "lock-not-held", heldBy: holder?.pr ?? null };

          const jobId = checkId(ctx.newId(), "generated job id");
          const now = ctx.now();
          insert.run(jobId, repo, pr, project, headSha, plan.id, actor, now, now);
          return { status: "claimed", jobId, plan: planFromRow(plan) };
        });
      }),
  };
}
