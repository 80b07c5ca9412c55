import { codeCell } from "../policy/render-policy.js";

/** A command's row in the `/help` table. */
export interface HelpEntry {
  /** What to type, e.g. `/plan [project…]`. */
  readonly usage: string;
  /** What it does, one sentence. */
  readonly help: string;
}

/**
 * The reply to `/help`: one row per command, in the order given. Commands are written in code
 * spans, never at the start of a line, so the reply itself can never be read as a command.
 */
export function helpText(commands: readonly HelpEntry[]): string {
  return [
    "**tfgate commands** (one per line, at the start of the line, outside quotes and code blocks):",
    "",
    "| Command | What it does |",
    "|---|---|",
    ...commands.map((c) => `| ${codeCell(c.usage)} | ${c.help.replace(/[\r\n]+/g, " ").replace(/\|/g, "\\|")} |`),
    "",
    "Project names are the names in the summary table.",
    "",
  ].join("\n");
}
