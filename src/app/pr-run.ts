import type { ApprovalRule } from "../domain/apply/project-requirements.js";
import { compareText } from "../domain/compare-text.js";
import type { DeletedProject } from "../domain/projects/detect-affected.js";
import type { ProjectRunState, SummaryInput, SummaryProject } from "../domain/render/summary-input.js";
import type { PlanRecord } from "./ports/plans.js";
import type { PrSnapshot } from "./ports/pr-states.js";
import type { ChangeRequest, RepoRef } from "./ports/vcs.js";

/**
 * What the summary of one pull request shows, for its current head commit: the live, mutable copy
 * (rows change many times a second while plans run). The PR state service persists it as a
 * PrSnapshot at every publish.
 */
export interface PrRun {
  readonly repo: string;
  readonly pr: number;
  readonly headSha: string;
  readonly baseRef: string;
  readonly rows: Map<string, SummaryProject>;
  deleted: readonly DeletedProject[];
  configChanged: boolean;
  prState: "open" | "closed" | "merged";
  author: string | null;
  readonly notices: Set<string>;
  problems: readonly string[];
  warnings: readonly string[];
  readonly planIds: Map<string, number>;
  /** Plan ids already recorded as posted (in memory only: recording twice is harmless). */
  readonly posted: Set<number>;
  trust: { readonly configBranch: string; readonly protected: boolean } | null;
  approverTeams: readonly string[];
  /** Each project's approval rules when this head was planned (per-project rules, the floor). */
  approvalRules: Readonly<Record<string, readonly ApprovalRule[]>>;
  statusesShown: string | null;
}

export const repoNameOf = (repo: RepoRef) => `${repo.owner}/${repo.name}`;
export const prKeyOf = (repo: RepoRef, pr: number) => `${repo.owner}/${repo.name}#${pr}`;

export function newRun(repo: RepoRef, pr: ChangeRequest): PrRun {
  return {
    repo: repoNameOf(repo),
    pr: pr.number,
    headSha: pr.headSha,
    baseRef: pr.baseRef,
    rows: new Map(),
    deleted: [],
    configChanged: false,
    prState: "open",
    author: null,
    notices: new Set(),
    problems: [],
    warnings: [],
    planIds: new Map(),
    posted: new Set(),
    trust: null,
    approverTeams: [],
    approvalRules: {},
    statusesShown: null,
  };
}

export function toSnapshot(run: PrRun): PrSnapshot {
  return {
    repo: run.repo,
    pr: run.pr,
    headSha: run.headSha,
    baseRef: run.baseRef,
    prState: run.prState,
    author: run.author,
    rows: [...run.rows.values()],
    deleted: run.deleted,
    configChanged: run.configChanged,
    problems: run.problems,
    warnings: run.warnings,
    notices: [...run.notices],
    planIds: Object.fromEntries(run.planIds),
    trust: run.trust,
    approverTeams: run.approverTeams,
    approvalRules: run.approvalRules,
    statusesShown: run.statusesShown,
  };
}

export function fromSnapshot(s: PrSnapshot): PrRun {
  return {
    ...s,
    warnings: s.warnings ?? [],
    approvalRules: s.approvalRules ?? {},
    rows: new Map(s.rows.map((r) => [r.name, r])),
    notices: new Set(s.notices),
    planIds: new Map(Object.entries(s.planIds)),
    posted: new Set(),
  };
}

/** What a stored plan shows in the summary. */
export function stateOfPlan(plan: PlanRecord): ProjectRunState {
  const s = plan.summary;
  if (plan.state === "applied") return { status: "applied", counts: s.status === "changes" ? s.counts : { add: 0, change: 0, destroy: 0, replace: 0 } };
  return s.status === "changes" ? { status: "changes", counts: s.counts, diff: s.diff ?? "" } : { status: "no-changes" };
}

export function updateRow(run: PrRun, project: string, patch: Partial<Pick<SummaryProject, "state" | "policy" | "lock" | "gate" | "logUrl" | "planHash" | "reasons" | "steps">>): SummaryProject | undefined {
  const row = run.rows.get(project);
  if (!row) return undefined;
  const next = { ...row, ...patch };
  run.rows.set(project, next);
  return next;
}

/** True the first time `key` is noticed for this head (one-off comments). */
export function firstNotice(run: PrRun, key: string): boolean {
  if (run.notices.has(key)) return false;
  run.notices.add(key);
  return true;
}

export function summaryInput(run: PrRun, webBaseUrl: string): SummaryInput {
  return {
    repo: run.repo,
    repoUrl: `${webBaseUrl}/${run.repo}`,
    pr: run.pr,
    headSha: run.headSha,
    baseRef: run.baseRef,
    projects: [...run.rows.values()].sort((a, b) => compareText(a.name, b.name)),
    deleted: run.deleted,
    configChanged: run.configChanged,
    prState: run.prState,
    problems: run.problems,
    warnings: run.warnings,
    ...(run.trust ? { configRef: run.trust.configBranch, neverApplied: !run.trust.protected } : {}),
  };
}
