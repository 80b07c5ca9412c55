/**
 * The short notes around the summary table: what the reader must notice first (destruction, a
 * closed PR, a config change) and what to do next. Each note is one complete Markdown block.
 */
import { cleanText, oneLine } from "./clean-text.js";
import { describeDestruction } from "./format-counts.js";
import { inlineCode } from "./inline-code.js";
import type { SummaryInput } from "./summary-input.js";

const MAX_LISTED = 50;

/**
 * Why a head could not be planned, one list item per problem. A problem's text quotes the pull
 * request (paths, names, HCL), so each is a code span: no HTML, links or mentions get through.
 */
export function problemItems(problems: readonly string[]): string[] {
  const items = problems.slice(0, MAX_LISTED).map((p) => `- ${inlineCode(oneLine(cleanText(p), 1_000))}`);
  if (problems.length > MAX_LISTED) items.push(`- …and ${problems.length - MAX_LISTED} more`);
  return items;
}

/** Notes above the table, in the order they should be read. */
export function summaryNotes(input: SummaryInput): string[] {
  const notes: string[] = [];
  const problems = input.problems ?? [];
  if (problems.length > 0) {
    const items = problemItems(problems).map((i) => `> ${i}`);
    notes.push(`> [!CAUTION]\n> **tfgate could not plan this commit**, so nothing was planned:\n${items.join("\n")}\n>\n> Fix the problem and push, or comment ${inlineCode("/plan")}.\n`);
  }
  const open = (input.prState ?? "open") === "open";
  if (input.unsandboxed) {
    notes.push(
      "> [!CAUTION]\n> This tfgate server runs plans **without its sandbox** (`TFGATE_SANDBOX=none`): " +
        "the code of a pull request can read the server's secrets and other projects' credentials and state.\n",
    );
  }
  if (open && input.neverApplied) {
    const base = input.baseRef === undefined ? "its base branch" : inlineCode(oneLine(input.baseRef, 100));
    const trusted = input.configRef === undefined ? "the default branch" : inlineCode(oneLine(input.configRef, 100));
    notes.push(
      `> [!CAUTION]\n> **This pull request will never be applied:** it goes into ${base}, which is not a protected base ` +
        `(the default branch, or one the tfgate server lists), so its author could have chosen that branch's rules. ` +
        `It is planned with the configuration and policies of ${trusted}. To apply it, retarget it to ${trusted}.\n`,
    );
  }
  if (input.prState === "merged" || input.prState === "closed") {
    notes.push(
      `> [!NOTE]\n> This pull request was ${input.prState === "merged" ? "merged" : "closed without merging"}. ` +
        "tfgate released its locks and removed its saved plans; the plans below are kept for reference.\n",
    );
  }
  const destructive = input.projects.flatMap((p) =>
    p.state.status === "changes" && (p.state.counts.destroy > 0 || p.state.counts.replace > 0) ? [{ name: p.name, counts: p.state.counts }] : [],
  );
  if (open && destructive.length > 0) {
    const items = destructive.slice(0, MAX_LISTED).map((d) => `> - ${inlineCode(oneLine(d.name, 100))}: ${describeDestruction(d.counts)}`);
    if (destructive.length > MAX_LISTED) items.push(`> - …and ${destructive.length - MAX_LISTED} more`);
    notes.push(`> [!WARNING]\n> **This pull request destroys or replaces resources.** Check these plans before applying:\n${items.join("\n")}\n`);
  }
  const warnings = input.warnings ?? [];
  if (open && warnings.length > 0) {
    const items = problemItems(warnings).map((i) => `> ${i}`);
    notes.push(`> [!WARNING]\n> **Change detection may have missed projects:**\n${items.join("\n")}\n`);
  }
  if (input.configChanged) {
    const ref = input.configRef ?? input.baseRef;
    const trusted = ref === undefined ? "the base branch" : inlineCode(oneLine(ref, 100));
    const until = input.neverApplied ? "" : " until it is merged";
    notes.push(`> [!NOTE]\n> This pull request changes ${inlineCode("tfgate.yaml")}. tfgate keeps using the version on ${trusted}${until}.\n`);
  }
  return notes;
}

/** Notes below the table: deleted projects, and how to plan again and apply. */
export function closingNotes(input: SummaryInput, shortSha: string): string[] {
  const notes: string[] = [];
  const deleted = input.deleted ?? [];
  if (deleted.length > 0) {
    const names = deleted.slice(0, MAX_LISTED).map((d) => `${inlineCode(oneLine(d.name, 100))} (${inlineCode(oneLine(d.dir, 200))})`);
    if (deleted.length > MAX_LISTED) names.push(`…and ${deleted.length - MAX_LISTED} more`);
    notes.push(
      `**Deleted in this pull request:** ${names.join(", ")}. tfgate does not plan or destroy deleted projects, ` +
        "so their resources stay in their state: to remove them, destroy them before deleting their code.\n",
    );
  }
  if ((input.prState ?? "open") === "open") {
    // Commands sit in code spans mid-line, so this comment can never be read as a command.
    const replan = `To plan again, comment ${inlineCode("/plan")} (every affected project) or ${inlineCode("/plan <project>…")}.`;
    // An approval covers the plans shown when it was given (or plans with the same content).
    const apply =
      input.projects.some((p) => p.state.status === "changes") && !input.neverApplied
        ? ` To apply, comment ${inlineCode("/apply")} or ${inlineCode("/apply <project>…")} once an SRE has approved commit ${inlineCode(shortSha)} after these plans were posted, and every policy passed.`
        : "";
    notes.push(`${replan}${apply} ${inlineCode("/help")} lists all commands.\n`);
  }
  return notes;
}

/** The reply to a command when nothing could be planned for the head (the summary says it too). */
export function couldNotPlanReply(sha: string, problems: readonly string[]): string {
  return [`**tfgate could not plan \`${sha.slice(0, 12)}\`:**`, "", ...problemItems(problems), "", "Nothing was planned. Fix the problem and push, or comment `/plan`."].join("\n");
}
