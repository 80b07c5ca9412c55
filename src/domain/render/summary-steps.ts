import type { StepReport } from "../projects/workflow.js";
import { oneLine } from "./clean-text.js";
import { codeFence } from "./code-fence.js";
import { textLines } from "./diff-lines.js";
import { escapeCommentHtml } from "./escape-html.js";
import type { SummaryProject } from "./summary-input.js";

/** A step's output in the summary: its last lines (where errors are); the log has the rest. */
const MAX_LINES = 40;

/**
 * A project's workflow steps (fmt-check, validate, `run:` commands) as one fold: a line per step
 * with its outcome, and its output. Null when the project ran none.
 */
export function summarySteps(p: SummaryProject): string | null {
  const steps = p.steps ?? [];
  if (steps.length === 0) return null;
  const failed = steps.filter((s) => !s.ok).length;
  const head = `${failed > 0 ? "❌" : "✅"} workflow steps of <code>${escapeCommentHtml(oneLine(p.name, 100))}</code>: ${steps.length - failed} passed${failed > 0 ? `, ${failed} failed` : ""}`;
  const parts = [`<details><summary>${head}</summary>`, ""];
  for (const s of steps) parts.push(...stepBlock(s));
  parts.push("</details>", "");
  return parts.join("\n");
}

function stepBlock(s: StepReport): string[] {
  const title = `${s.ok ? "✅" : "❌"} <code>${escapeCommentHtml(oneLine(s.name, 80))}</code> (${s.stage}, ${(s.durationMs / 1000).toFixed(1)} s)`;
  const lines = textLines(s.output);
  if (lines.length === 0) return [title, ""];
  const shown = lines.length > MAX_LINES ? [`… ${lines.length - MAX_LINES} earlier lines in the log`, ...lines.slice(-MAX_LINES)] : lines;
  return [title, "", codeFence(shown, "text")];
}
