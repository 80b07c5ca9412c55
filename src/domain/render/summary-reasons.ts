import { oneLine } from "./clean-text.js";
import { inlineCode } from "./inline-code.js";
import type { SummaryProject } from "./summary-input.js";

const MAX_PROJECTS = 50;
const MAX_REASONS = 2;
const REASON_MAX = 240;

/**
 * Why each project was planned (a file changed, a module chain, a var file, `when_modified`, a
 * `/plan` request), folded below the table: the first thing to check when a plan looks
 * unexpected. Bounded, so a hundred projects cannot push the diffs out of the summary.
 */
export function summaryReasons(projects: readonly SummaryProject[]): string | null {
  const withReasons = projects.filter((p) => (p.reasons ?? []).length > 0);
  if (withReasons.length === 0) return null;
  const items = withReasons.slice(0, MAX_PROJECTS).map((p) => {
    const reasons = p.reasons ?? [];
    const shown = reasons.slice(0, MAX_REASONS).map((r) => inlineCode(oneLine(r, REASON_MAX)));
    const more = reasons.length > MAX_REASONS ? ` and ${reasons.length - MAX_REASONS} more` : "";
    return `- ${inlineCode(oneLine(p.name, 100))}: ${shown.join("; ")}${more}`;
  });
  if (withReasons.length > MAX_PROJECTS) items.push(`- …and ${withReasons.length - MAX_PROJECTS} more projects`);
  return `<details><summary>Why these projects were planned</summary>\n\n${items.join("\n")}\n\n</details>\n`;
}
