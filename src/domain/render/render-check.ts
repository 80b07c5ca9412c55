/**
 * The text of one project's check (GitHub: a check run): a one-line title and a Markdown summary
 * holding the same diff fold and policy findings the summary comment shows for that project,
 * bounded to the host's limit. PR text is cleaned and escaped as in the comment (see
 * render-summary.ts): a check summary is Markdown that anyone reading the PR sees.
 */
import { codeCell, escapeCell, renderPolicyTable } from "../policy/render-policy.js";
import { cleanText, cutAt, oneLine } from "./clean-text.js";
import { formatCounts } from "./format-counts.js";
import { inlineCode } from "./inline-code.js";
import { fitDetails, projectDetails } from "./project-details.js";
import type { SummaryProject } from "./summary-input.js";
import { summarySteps } from "./summary-steps.js";

const TITLE_MAX = 200;
const POLICY_ROWS = 30;
/** Room kept for the note saying the summary was cut. */
const NOTE_ROOM = 200;

/** The check's title: the counts (with the policy verdict), or what went wrong. */
export function projectCheckTitle(row: SummaryProject): string {
  const s = row.state;
  const policy = row.policy;
  const verdict = policy === null || policy.status === "passed" ? "" : policy.status === "failed" ? `; policy failed: ${policy.violations.length} violation(s)` : "; policy could not be evaluated";
  switch (s.status) {
    case "queued":
      return "waiting to plan";
    case "running":
      return "planning";
    case "no-changes":
      return `no changes${verdict}`;
    case "changes":
      return `${formatCounts(s.counts)}${verdict}`;
    case "applied":
      return `applied: ${formatCounts(s.counts)}`;
    case "error":
      return oneLine(cleanText(s.message), TITLE_MAX);
    case "cancelled":
      return oneLine(cleanText(s.message), TITLE_MAX);
    case "locked-by-other-pr":
      return `locked by #${s.holder.number}: not planned`;
  }
}

/** The check's Markdown summary, at most `limit` characters (a note says when it was cut). */
export function renderProjectCheck(rawRow: SummaryProject, limit: number): string {
  const row = cleanRow(rawRow);
  const where = row.dir === "" ? "the repository root" : inlineCode(oneLine(row.dir, 200));
  const head = `**${inlineCode(oneLine(row.name, 100))}** in ${where}: ${projectCheckTitle(row)}\n`;
  const tail: string[] = [];
  if (row.policy !== null && row.policy.status !== "passed") tail.push(`**Policy findings**\n\n${renderPolicyTable([{ project: row.name, result: row.policy }], { maxRows: POLICY_ROWS })}`);
  const steps = summarySteps(row);
  if (steps !== null) tail.push(steps);
  const details = projectDetails(row);
  const rest = tail.join("\n");
  const budget = limit - head.length - rest.length - NOTE_ROOM;
  const fold = details === null ? "" : budget > 0 ? fitDetails(details, budget) : details.compact("too large for a check summary");
  return bounded([head, fold, rest].filter((p) => p !== "").join("\n"), limit);
}

/** Cuts `text` to `limit` characters with a note, never inside a surrogate pair. */
export function bounded(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const note = `\n\n_(cut: a check summary holds at most ${limit} characters; the summary comment and the run log have the rest)_\n`;
  return `${cutAt(text, Math.max(0, limit - note.length))}${note}`;
}

/** The aggregate check's summary: one table row per project, with its check's title. */
export function renderAggregateCheck(rows: readonly SummaryProject[], limit: number): string {
  if (rows.length === 0) return "No project is affected by this pull request.\n";
  const lines = ["| Project | Result |", "|---|---|"];
  for (const row of [...rows].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const clean = cleanRow(row);
    lines.push(`| ${codeCell(oneLine(clean.name, 100))} | ${escapeCell(projectCheckTitle(clean))} |`);
  }
  return bounded(`${lines.join("\n")}\n`, limit);
}

function cleanRow(row: SummaryProject): SummaryProject {
  return JSON.parse(JSON.stringify(row), (_key, value: unknown) => (typeof value === "string" ? cleanText(value) : value)) as SummaryProject;
}
