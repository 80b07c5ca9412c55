/**
 * The reply to `/help`. Commands are written in code spans, never at the start of a line, so the
 * reply itself can never be read as a command.
 */
export function helpText(): string {
  return [
    "**tfgate commands** (one per line, at the start of the line, outside quotes and code blocks):",
    "",
    "| Command | What it does |",
    "|---|---|",
    "| `/plan [project…]` | Plans the named projects, or every project this pull request affects. |",
    "| `/apply [project…]` | Applies the saved plans of the current head commit, once an SRE approved that commit and every policy passed. |",
    "| `/unlock [project…]` | Releases this pull request's locks on the named projects, or on all of them (needs write access). |",
    "| `/help` | Shows this list. |",
    "",
    "Project names are the names in the summary table.",
    "",
  ].join("\n");
}
