/**
 * tfgate commands in a pull request comment: `/plan [project…]`, `/apply [project…]`,
 * `/unlock [project…]` and `/help`, one per line, each at the start of a line of ordinary text
 * (see plain-text-lines.ts for what hides a line).
 */
import { PROJECT_NAME, PROJECT_NAME_RULE } from "../projects/project-name.js";
import { plainTextLines } from "./plain-text-lines.js";

export { PROJECT_NAME } from "../projects/project-name.js";

export const COMMAND_NAMES = ["plan", "apply", "unlock", "help"] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

export type ParsedCommand =
  /** No projects means every project of the pull request. `/help` ignores arguments. */
  | { readonly kind: CommandName; readonly projects: readonly string[]; readonly line: number }
  /** `/aply`: a line that looks like a command but names none; `suggestion` is the likely intent. */
  | { readonly kind: "unknown"; readonly name: string; readonly suggestion: CommandName | null; readonly line: number }
  /** A known command with an argument that cannot be a project name; `message` is for the author. */
  | { readonly kind: "invalid"; readonly command: CommandName; readonly token: string; readonly message: string; readonly line: number };

/** Commands only up to 3 spaces in: from 4 on, Markdown reads the line as code or a continuation. */
const MAX_INDENT = 3;
// A name directly followed by whitespace or the end of the line: `/etc/hosts` or `/plan.` is text.
const COMMAND_LINE = /^\/([A-Za-z][A-Za-z0-9_-]*)(?=\s|$)(.*)$/;

/** The commands of a comment body, in line order. Ordinary text mentioning /plan mid-line is ignored. */
export function parseCommands(body: string): ParsedCommand[] {
  const commands: ParsedCommand[] = [];
  for (const { line, text, indent } of plainTextLines(body)) {
    if (indent > MAX_INDENT) continue;
    const m = COMMAND_LINE.exec(text.trim());
    if (!m?.[1]) continue;
    // Case-insensitive: phone keyboards capitalise the first letter of a line.
    const name = m[1].toLowerCase();
    const command = COMMAND_NAMES.find((c) => c === name);
    if (!command) {
      commands.push({ kind: "unknown", name: m[1], suggestion: suggest(name), line });
      continue;
    }
    const tokens = (m[2] ?? "").trim().split(/\s+/).filter((t) => t !== "");
    if (command === "help") {
      commands.push({ kind: "help", projects: [], line });
      continue;
    }
    const bad = tokens.find((t) => !PROJECT_NAME.test(t));
    if (bad !== undefined) {
      const shown = bad.length > 80 ? `${bad.slice(0, 80)}…` : bad;
      commands.push({ kind: "invalid", command, token: bad, message: `"${shown}" is not a project name: ${PROJECT_NAME_RULE}`, line });
      continue;
    }
    commands.push({ kind: command, projects: [...new Set(tokens)], line });
  }
  return commands;
}

/** The command within edit distance 2 of a mistyped name, if exactly one is closest. */
function suggest(name: string): CommandName | null {
  let best: CommandName | null = null;
  let bestDistance = 3;
  let tie = false;
  for (const c of COMMAND_NAMES) {
    const d = editDistance(name, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
      tie = false;
    } else if (d === bestDistance) tie = true;
  }
  // One or two letters are too short to guess from.
  return tie || name.length < 3 ? null : best;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number) => d[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= a.length; i++) {
    const row = d[i] as number[];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, at(i - 2, j - 2) + 1);
      row[j] = v;
    }
  }
  return at(a.length, b.length);
}
