import type { PlanCounts } from "../plan/plan-outcome.js";
import type { PolicyResult } from "../policy/policy-result.js";
import { renderPolicyTable } from "../policy/render-policy.js";
import { cleanText } from "../render/clean-text.js";
import { codeFence } from "../render/code-fence.js";
import { diffLines, textLines } from "../render/diff-lines.js";
import { inlineCode } from "../render/inline-code.js";
import { driftIssueMarker } from "./drift-issue-marker.js";

/** A finished check as the issue shows it (a drift record satisfies it). */
export interface DriftIssueCheck {
  readonly sha: string;
  readonly checkedAt: number | null;
  readonly counts: PlanCounts | null;
  /** `show -no-color` of the plan, for a drifted check. */
  readonly diff: string | null;
  /** What failed, for an error. */
  readonly error: string | null;
  /** The pull request holding the project's lock while it was checked. */
  readonly lockedBy: number | null;
  /** The default branch's policies on a drifted check's plan; absent or null when not judged. */
  readonly policy?: PolicyResult | null;
}

export interface DriftIssueInput {
  readonly repo: string;
  readonly project: string;
  /** The check the issue is about now: drifted, or an error. */
  readonly latest: DriftIssueCheck & { readonly state: "drifted" | "error" };
  /** For an error: the newest drifted check before it, still shown so the issue keeps its diff. */
  readonly lastDrift?: DriftIssueCheck | null;
  /** Where the code host shows pull requests (`https://github.com/acme/infra/pull/`), to link the lock holder. */
  readonly pullUrl?: string;
}

/**
 * Under GitHub's 65,536-character issue body limit with room to spare: the secret scrubber
 * (app/scrubbing-vcs) may lengthen a body a little after it was rendered.
 */
export const DRIFT_ISSUE_BODY_LIMIT = 64_000;

/** "1 to add, 2 to change, 0 to destroy" (and replacements, when there are any). */
export function describeCounts(c: PlanCounts): string {
  return [`${c.add} to add`, `${c.change} to change`, `${c.destroy} to destroy`, ...(c.replace > 0 ? [`${c.replace} to replace`] : [])].join(", ");
}

/** The issue's title: what drifted and by how much. */
export function driftIssueTitle(repo: string, project: string, counts: PlanCounts | null): string {
  const tail = ` in ${repo}${counts ? ` (${describeCounts(counts)})` : ""}`;
  // GitHub refuses titles over 256 characters; the project's name gives way (the body names it whole).
  const room = TITLE_LIMIT - "Drift: ".length - tail.length;
  return `Drift: ${project.length <= room ? project : `${project.slice(0, Math.max(1, room - 1))}…`}${tail}`.slice(0, TITLE_LIMIT);
}

const TITLE_LIMIT = 256;
/** The failure shown in the issue: enough to act on; the drift page has the whole message. */
const ERROR_LIMIT = 8_000;

/** The comment that closes the issue once a check finds the project in sync. */
export function renderDriftResolved(sha: string): string {
  return `✅ Drift resolved at ${inlineCode(sha)}: a plan of the default branch's head shows no changes. Closing this issue; tfgate opens a new one if the project drifts again.`;
}

/**
 * The body of a project's drift issue: the marker, the counts, the commit and time of the check,
 * the pull request holding the lock (its unapplied change may be the drift), then the plan in a
 * fold. The diff is cut, whole lines at a time, so the body stays under DRIFT_ISSUE_BODY_LIMIT.
 */
/** Findings shown in the issue; the rest are counted (the diff needs the room more). */
const POLICY_ROWS = 20;

export function renderDriftIssue(input: DriftIssueInput): string {
  const { latest } = input;
  const drift = latest.state === "drifted" ? latest : (input.lastDrift ?? null);
  const head: string[] = [driftIssueMarker(input.repo, input.project), `### Drift in ${inlineCode(input.project)} (${inlineCode(input.repo)})`, ""];
  if (latest.state === "error") {
    head.push(`⚠️ The latest check, of ${inlineCode(latest.sha)} ${when(latest.checkedAt)}, failed:`, "", codeFence(textLines(cleanText((latest.error ?? "").slice(0, ERROR_LIMIT))).slice(0, 40), "text"));
    head.push(drift ? "What the last successful check found is below." : "No check has shown the drift's extent yet.", "");
  }
  if (drift) {
    head.push(
      `A plan of the default branch's head shows **${describeCounts(drift.counts ?? { add: 0, change: 0, destroy: 0, replace: 0 })}**: the infrastructure (or its state) differs from the merged code.`,
      "",
      "| | |",
      "|---|---|",
      `| Commit | ${inlineCode(drift.sha)} |`,
      `| Checked | ${when(drift.checkedAt)} |`,
      ...(drift.lockedBy !== null ? [`| Lock | held by ${input.pullUrl ? `[#${drift.lockedBy}](${input.pullUrl}${drift.lockedBy})` : `#${drift.lockedBy}`}: its unapplied plan may be the difference |`] : []),
      ...(drift.policy?.status === "passed" ? [`| Policies | ✅ passed${drift.policy.warnings.length > 0 ? `, ${drift.policy.warnings.length} warning(s) below` : ""} |`] : []),
      "",
    );
    const policy = drift.policy;
    if (policy && (policy.status !== "passed" || policy.warnings.length > 0)) {
      // The default branch's policies on the plan that would undo the drift: what applying main's code again would run into.
      head.push("**Policy findings** on the plan that would bring the infrastructure back to the default branch:", "", renderPolicyTable([{ project: input.project, result: policy }], { maxRows: POLICY_ROWS }));
    }
  }
  const tail = ["Comment `/plan` on this issue to check again. tfgate updates this issue after each check and closes it when a check finds no drift."];
  const fixed = [...head, ...tail].join("\n").length;
  const diff = drift?.diff ? foldedDiff(drift.diff, DRIFT_ISSUE_BODY_LIMIT - fixed - 2) : "";
  return [...head, ...(diff ? [diff, ""] : []), ...tail].join("\n");
}

function when(at: number | null): string {
  return at === null ? "at an unknown time" : `at ${new Date(at).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** The diff in a fold of at most `budget` characters; lines beyond it are left out and counted. */
function foldedDiff(diff: string, budget: number): string {
  const lines = diffLines(cleanText(diff));
  const open = "<details><summary>Plan output</summary>\n\n";
  const close = "</details>";
  const render = (kept: readonly string[], cut: number) =>
    `${open}${codeFence(kept, "diff")}${cut > 0 ? `\n✂️ ${cut} more line${cut === 1 ? "" : "s"} left out to stay under GitHub's issue size limit.\n` : ""}\n${close}`;
  let kept = lines.length;
  let out = render(lines, 0);
  // Halve, then step back up: a few renders even for a huge plan.
  let low = 0;
  let high = lines.length;
  if (out.length > budget) {
    while (low < high) {
      const mid = Math.ceil((low + high) / 2);
      if (render(lines.slice(0, mid), lines.length - mid).length <= budget) low = mid;
      else high = mid - 1;
    }
    kept = low;
    out = render(lines.slice(0, kept), lines.length - kept);
  }
  return out.length <= budget ? out : "";
}
