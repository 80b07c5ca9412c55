/**
 * Whether an approval covers the plan about to be applied. An approval is given to a plan someone
 * saw, not to a commit: the same commit planned again can give another plan (remote state, data
 * sources, time), and that plan was never reviewed. Pure: times are milliseconds since the epoch.
 */

/** One saved plan of a project, as the approval rule sees it. */
export interface ShownPlan {
  /** Hash of the plan's normalised `resource_changes` + `output_changes`; null when unknown. */
  readonly contentHash: string | null;
  /** When the summary first showed this plan's result; null while it never has. */
  readonly postedAt: number | null;
}

export interface CoverageTarget {
  readonly project: string;
  /** The plan `/apply` would apply. */
  readonly current: ShownPlan;
  /** Every saved plan of the project in this pull request, the current one included, any order. */
  readonly history: readonly ShownPlan[];
  /**
   * An apply of this project was cut off (the server died mid-apply) and the restart reported it
   * at this time: approvals submitted until then no longer count. null when none was.
   */
  readonly approvalsVoidUntil: number | null;
}

export type Coverage =
  | { readonly status: "covered" }
  /** Submitted before an interrupted apply was reported. */
  | { readonly status: "voided"; readonly at: number }
  /** The approval followed a plan whose content differs from the current one. */
  | { readonly status: "plan-changed"; readonly approvedHash: string | null; readonly currentHash: string | null }
  /** Submitted before any plan of the project was shown: it followed no plan. */
  | { readonly status: "before-plan" };

/** How many hex characters of a content hash people see (48 bits: no accidental look-alikes). */
export const SHORT_HASH_LENGTH = 12;
export const shortHash = (hash: string | null): string => (hash === null ? "unknown" : hash.slice(0, SHORT_HASH_LENGTH));

/**
 * Does an approval submitted at `submittedAt` (GitHub's ISO time, whole seconds) cover the
 * target's current plan? It does when it came after that plan was shown, or when the plan it
 * followed (the newest one shown before it) has the same content. Comparisons are strict: GitHub
 * truncates to the second, so a review in the same second as the post may have come before it.
 */
export function approvalCovers(submittedAt: string, target: CoverageTarget): Coverage {
  const at = Date.parse(submittedAt);
  if (Number.isNaN(at)) return { status: "before-plan" };
  if (target.approvalsVoidUntil !== null && at <= target.approvalsVoidUntil) return { status: "voided", at: target.approvalsVoidUntil };
  const { current } = target;
  if (current.postedAt !== null && current.postedAt < at) return { status: "covered" };
  let followed: ShownPlan | null = null;
  for (const plan of target.history) {
    if (plan.postedAt === null || plan.postedAt >= at) continue;
    if (followed === null || (followed.postedAt as number) < plan.postedAt) followed = plan;
  }
  if (followed === null) return { status: "before-plan" };
  if (followed.contentHash !== null && followed.contentHash === current.contentHash) return { status: "covered" };
  return { status: "plan-changed", approvedHash: followed.contentHash, currentHash: current.contentHash };
}

/** Why `reviewer`'s approval does not cover the target, and what would: one line of a refusal. */
export function coverageProblem(target: CoverageTarget, reviewer: string, coverage: Exclude<Coverage, { status: "covered" }>, approvers: string): string {
  const p = `\`${target.project}\``;
  const again = `ask a member of ${approvers} to approve again`;
  switch (coverage.status) {
    case "voided":
      return `an apply of ${p} was interrupted (reported ${new Date(coverage.at).toISOString()}), so approvals submitted before then no longer count: check the infrastructure and the state, comment \`/plan ${target.project}\`, then ${again}`;
    case "plan-changed":
      return `${p}'s plan changed after @${reviewer}'s approval (approved plan \`${shortHash(coverage.approvedHash)}\`, now \`${shortHash(coverage.currentHash)}\`), so that approval no longer covers it: ${again}`;
    case "before-plan":
      return `@${reviewer} approved before ${p}'s plan \`${shortHash(target.current.contentHash)}\` was posted, and an approval covers only a plan it followed: ${again}`;
  }
}

/** The summary's short form of the same (the gate column). */
export function coverageNote(reviewer: string, coverage: Exclude<Coverage, { status: "covered" }>): string {
  switch (coverage.status) {
    case "voided":
      return "an apply was interrupted: approvals before it no longer count";
    case "plan-changed":
      return `the plan changed since @${reviewer}'s approval, which no longer covers it`;
    case "before-plan":
      return `@${reviewer} approved before this plan was posted`;
  }
}
