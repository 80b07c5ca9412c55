import { policyAnnotations } from "../domain/policy/policy-annotations.js";
import { projectCheckTitle, renderAggregateCheck, renderProjectCheck } from "../domain/render/render-check.js";
import type { SummaryProject } from "../domain/render/summary-input.js";
import { aggregateStatus, applyAggregateStatus, applyContext, statusOf } from "./plan-status.js";
import { CHECK_SUMMARY_LIMIT, type CheckReport, type CheckState, type CommitStatus } from "./ports/vcs.js";

/**
 * The checks a pull request's rows call for, named like the statuses (`tfgate/plan: <project>`,
 * `tfgate/apply: <project>`, `tfgate/plan`, `tfgate/apply`) and concluded from the very same
 * status, so branch protection reads the same verdict whichever kind an installation requires.
 * With `row`, only that project's plan check (one plan finished while others run). `prState`
 * as for applyAggregateStatus.
 */
export function checkReportsOf(rows: readonly SummaryProject[], row: SummaryProject | null = null, prState: "open" | "closed" | "merged" = "open"): CheckReport[] {
  const perRow = (row ? [row] : rows).flatMap((r) => projectChecks(r));
  if (row) return perRow;
  const plan = aggregateStatus(rows);
  const apply = applyAggregateStatus(rows, prState);
  const summary = renderAggregateCheck(rows, CHECK_SUMMARY_LIMIT);
  const aggregates = [plan, ...(apply ? [apply] : [])].map((s): CheckReport => ({ name: s.context, state: checkStateOf(s), title: s.description, summary, annotations: [] }));
  return [...perRow, ...aggregates];
}

function projectChecks(r: SummaryProject): CheckReport[] {
  const status = statusOf(r);
  if (status === null) return [];
  const state = r.state.status === "queued" ? ({ status: "queued" } as const) : r.state.status === "error" && r.state.reason === "timeout" ? ({ status: "completed", conclusion: "timed_out" } as const) : checkStateOf(status);
  const summary = renderProjectCheck(r, CHECK_SUMMARY_LIMIT);
  const plan: CheckReport = {
    name: status.context,
    state,
    title: projectCheckTitle(r),
    summary,
    // Annotations belong to a verdict: none while the project is still planning.
    annotations: state.status === "completed" ? policyAnnotations(r.policy) : [],
    ...(r.logUrl ? { detailsUrl: r.logUrl } : {}),
  };
  if (r.state.status !== "applied") return [plan];
  return [plan, { name: applyContext(r.name), state: { status: "completed", conclusion: "success" }, title: projectCheckTitle(r), summary, annotations: [], ...(r.logUrl ? { detailsUrl: r.logUrl } : {}) }];
}

/** A status's verdict as a check's: pending runs, success succeeds, failure and error fail. */
export function checkStateOf(status: CommitStatus): CheckState {
  switch (status.state) {
    case "pending":
      return { status: "in_progress" };
    case "success":
      return { status: "completed", conclusion: "success" };
    case "failure":
    case "error":
      return { status: "completed", conclusion: "failure" };
  }
}

/** The check standing for a status set on its own (an apply's outcome, a restart's report). */
export function checkOfStatus(status: CommitStatus): CheckReport {
  return { name: status.context, state: checkStateOf(status), title: status.description, summary: status.description, annotations: [], ...(status.targetUrl ? { detailsUrl: status.targetUrl } : {}) };
}
