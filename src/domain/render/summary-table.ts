/**
 * The table of the summary: one row per project. PR-controlled text (names, directories) goes
 * through codeCell/escapeCell, the gate text too; counts and links are built here from numbers
 * and checked URLs.
 */
import type { PolicyResult } from "../policy/policy-result.js";
import { codeCell, escapeCell } from "../policy/render-policy.js";
import { shortHash } from "../apply/approval-coverage.js";
import { oneLine } from "./clean-text.js";
import { formatCounts } from "./format-counts.js";
import { safeUrl } from "./safe-url.js";
import type { PullRef, SummaryProject } from "./summary-input.js";

export interface SummaryTable {
  /** Header and delimiter rows, repeated when the table continues in another comment. */
  readonly head: string;
  readonly rows: readonly string[];
}

export function summaryTable(projects: readonly SummaryProject[]): SummaryTable {
  const withGate = projects.some((p) => p.gate !== undefined);
  const columns = ["Project", "Directory", "Status", "Changes", "Policy", "Lock", ...(withGate ? ["Apply"] : [])];
  const head = `| ${columns.join(" | ")} |\n|${columns.map(() => "---").join("|")}|`;
  const rows = projects.map((p) => {
    const cells = [
      codeCell(oneLine(p.name, 100)),
      p.dir === "" ? "(root)" : codeCell(oneLine(p.dir, 200)),
      linkedStatus(p),
      countsCell(p),
      policyCell(p.policy),
      lockCell(p),
      ...(withGate ? [p.gate === undefined ? "—" : escapeCell(oneLine(p.gate, 200))] : []),
    ];
    return `| ${cells.join(" | ")} |`;
  });
  return { head, rows };
}

/** The status links to the run's full log (the server's web UI) when there is one. */
function linkedStatus(p: SummaryProject): string {
  const url = p.logUrl === undefined ? null : safeUrl(p.logUrl);
  const text = statusCell(p);
  const linked = url === null || p.state.status === "locked-by-other-pr" ? text : `[${text}](${url})`;
  return `${linked}${planCell(p)}`;
}

/** The plan's content hash, shortened: what an approval covers, so re-plans can be told apart. */
function planCell(p: SummaryProject): string {
  const shown = p.state.status === "changes" || p.state.status === "no-changes";
  if (!shown || p.planHash === undefined || !/^[0-9a-f]{64}$/.test(p.planHash)) return "";
  return ` (plan \`${shortHash(p.planHash)}\`)`;
}

function statusCell(p: SummaryProject): string {
  const s = p.state;
  switch (s.status) {
    case "queued":
      return "⏳ queued";
    case "running":
      return "🔄 planning";
    case "no-changes":
      return "✅ no changes";
    case "changes":
      return "📝 changes";
    case "error":
      return s.reason === "timeout" ? "❌ timed out" : s.reason === "interrupted" ? "❌ interrupted" : s.reason === "apply-interrupted" ? "❌ apply interrupted" : "❌ failed";
    case "cancelled":
      return "⏹️ cancelled";
    case "locked-by-other-pr":
      return `🔒 locked by ${pullLink(s.holder)}`;
    case "applied":
      return "🚀 applied";
  }
}

function countsCell(p: SummaryProject): string {
  const s = p.state;
  if (s.status === "changes" || s.status === "applied") return formatCounts(s.counts);
  if (s.status === "no-changes") return formatCounts({ add: 0, change: 0, destroy: 0, replace: 0 });
  return "—";
}

function policyCell(policy: PolicyResult | null): string {
  if (policy === null) return "—";
  switch (policy.status) {
    case "passed":
      return policy.warnings.length === 0 ? "✅ passed" : `✅ passed, ${policy.warnings.length} warning${policy.warnings.length === 1 ? "" : "s"}`;
    case "failed":
      return "❌ failed";
    case "error":
      return "⛔ error";
  }
}

function lockCell(p: SummaryProject): string {
  if (p.state.status === "locked-by-other-pr") return `🔒 ${pullLink(p.state.holder)}`;
  return p.lock === "held" ? "🔒 this PR" : "—";
}

function pullLink(pr: PullRef): string {
  const url = safeUrl(pr.url);
  return url === null ? `#${pr.number}` : `[#${pr.number}](${url})`;
}
