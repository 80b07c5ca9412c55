/**
 * What the summary says about one project below the table: its diff or its diagnostics in a
 * folded `<details>`, or one line for a cancelled or locked project. The `<summary>` line sits in
 * an HTML block, where Markdown is not processed: text there is HTML-escaped and PR text is in
 * `<code>` (no mentions or issue links inside code).
 */
import { oneLine } from "./clean-text.js";
import { codeFence } from "./code-fence.js";
import { diffLines, textLines } from "./diff-lines.js";
import { escapeCommentHtml } from "./escape-html.js";
import { formatCounts } from "./format-counts.js";
import { inlineCode } from "./inline-code.js";
import { safeUrl } from "./safe-url.js";
import type { SummaryProject } from "./summary-input.js";

export interface ProjectDetails {
  /** A fold with a diff or diagnostics, or a one-line note shown right below the table. */
  readonly kind: "fold" | "note";
  /** Lines of the fenced text (diff or diagnostics); 0 when the details have no fence. */
  readonly lines: number;
  /** The details showing the first `shown` lines of the fence, with a note when that is not all. */
  render(shown: number): string;
  /** One line, for when the fence cannot be shown at all. */
  compact(why: string): string;
}

const NAME_MAX = 100;
const MESSAGE_MAX = 300;

/** The details of a project, or null when its table row says everything. */
const ERROR_WHAT = { failed: "plan failed", timeout: "plan timed out", interrupted: "plan interrupted", "apply-interrupted": "apply interrupted" } as const;
const ERROR_HINT: Partial<Record<keyof typeof ERROR_WHAT, string>> = {
  interrupted: " (tfgate stopped while it ran; comment <code>/plan</code> to run it again)",
  "apply-interrupted": " (tfgate stopped while it applied: check the infrastructure and the state, comment <code>/plan</code>, then ask for a new approval)",
};

export function projectDetails(p: SummaryProject): ProjectDetails | null {
  const name = oneLine(p.name, NAME_MAX);
  const where = p.dir === "" ? "the repository root" : `<code>${escapeCommentHtml(oneLine(p.dir, 200))}</code>`;
  const title = `<code>${escapeCommentHtml(name)}</code> in ${where}`;
  const log = p.logUrl === undefined ? null : safeUrl(p.logUrl);
  const state = p.state;
  switch (state.status) {
    case "changes": {
      const lines = diffLines(state.diff);
      return fenced({
        summary: `📝 ${title}: ${formatCounts(state.counts)}`,
        lines,
        info: "diff",
        what: "diff",
        log,
        compactHead: `📝 ${inlineCode(name)}: ${formatCounts(state.counts)}`,
      });
    }
    case "error": {
      const message = state.message;
      const text = state.diagnostics.trim() === "" ? message : `${message}\n\n${state.diagnostics}`;
      const what = ERROR_WHAT[state.reason];
      const hint = ERROR_HINT[state.reason] ?? "";
      return fenced({
        summary: `❌ ${title}: ${what}${hint}: <code>${escapeCommentHtml(oneLine(message, MESSAGE_MAX))}</code>`,
        lines: textLines(text),
        info: "text",
        what: "diagnostics",
        log,
        compactHead: `❌ ${inlineCode(name)}: ${what}: ${inlineCode(oneLine(message, MESSAGE_MAX))}`,
      });
    }
    case "cancelled":
      return oneLiner(`⏹️ ${inlineCode(name)}: ${inlineCode(oneLine(state.message, MESSAGE_MAX))}\n`);
    case "locked-by-other-pr": {
      const holder = `#${state.holder.number}`;
      const url = safeUrl(state.holder.url);
      const link = url === null ? holder : `[${holder}](${url})`;
      return oneLiner(
        `🔒 ${inlineCode(name)} is locked by ${link}, so it was not planned here: one pull request at a time plans a project. ` +
          `The lock goes when ${holder} is merged or closed, or when someone with write access comments ${inlineCode(`/unlock ${name}`)} on it; ` +
          `then comment ${inlineCode(`/plan ${name}`)} here.\n`,
      );
    }
    default:
      return null;
  }
}

interface FencedSpec {
  readonly summary: string;
  readonly lines: readonly string[];
  readonly info: string;
  readonly what: "diff" | "diagnostics";
  readonly log: string | null;
  readonly compactHead: string;
}

function fenced(spec: FencedSpec): ProjectDetails {
  const logNote = spec.log === null ? "the full log is on the tfgate server" : `full log: <${spec.log}>`;
  return {
    kind: "fold",
    lines: spec.lines.length,
    render(shown) {
      const n = Math.max(0, Math.min(shown, spec.lines.length));
      const parts = [`<details><summary>${spec.summary}</summary>`, ""];
      if (spec.lines.length > 0) parts.push(codeFence(spec.lines.slice(0, n), spec.info));
      if (n < spec.lines.length) parts.push(`${spec.what} trimmed: ${n} of ${spec.lines.length} lines shown; ${logNote}`, "");
      else if (spec.log !== null) parts.push(`Full log: <${spec.log}>`, "");
      parts.push("</details>", "");
      return parts.join("\n");
    },
    compact(why) {
      return `${spec.compactHead}; ${spec.what} not shown (${why}); ${logNote}\n`;
    },
  };
}

function oneLiner(text: string): ProjectDetails {
  return { kind: "note", lines: 0, render: () => text, compact: () => text };
}

/**
 * The longest rendering within `budget` characters: everything if it fits, else as many fence
 * lines as fit (binary search; the rendering grows with the lines shown), else the compact line.
 */
export function fitDetails(details: ProjectDetails, budget: number): string {
  const full = details.render(details.lines);
  if (full.length <= budget) return full;
  let lo = 0;
  let hi = details.lines - 1;
  let best: string | null = null;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const text = details.render(mid);
    if (text.length <= budget) {
      best = text;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best ?? details.compact("too large for a comment");
}
