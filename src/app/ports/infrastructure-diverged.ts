import type { Divergence } from "../../domain/apply/divergence-at-close.js";
import type { RepoRef } from "./vcs.js";

/** Why the default branch and the infrastructure disagree (see divergence-at-close.ts). */
export type DivergenceReason = Divergence["kind"];

/**
 * The hook for the drift check (issue #17, later part): called once per closed pull request
 * whose projects no longer match their branch, after the warning comment is posted and audited.
 * No-op by default (no drift check exists yet). An implementation should only queue its work
 * (a drift plan of each project, run from the base branch): the closing delivery waits for it,
 * and a rejection is logged and otherwise ignored, since the close itself is already done.
 */
export type InfrastructureDiverged = (repo: RepoRef, projects: readonly string[], reason: DivergenceReason) => Promise<void>;

export const ignoreDivergence: InfrastructureDiverged = () => Promise.resolve();
