/**
 * tfgate commands in a pull request comment (`/plan [project…]`, `/help`…), one per line, each at
 * the start of a line of ordinary text (see plain-text-lines.ts for what hides a line). Which
 * names exist is the caller's: the app's command registry passes its commands in.
 */
import { PROJECT_NAME, PROJECT_NAME_RULE } from "../projects/project-name.js";
import { plainTextLines } from "./plain-text-lines.js";

export { PROJECT_NAME } from "../projects/project-name.js";

/** What the parser needs to know of a command. */
export interface CommandSyntax<N extends string = string> {
  /** Lower case, as COMMAND_NAME: matched case-insensitively. */
  readonly name: N;
  /** False: arguments are ignored (`/help me` is `/help`); true: they must be project names. */
  readonly takesProjects: boolean;
}

/** The kinds a parsed line has besides a command's name: no command may be named so. */
export const RESERVED_KINDS = ["unknown", "invalid"] as const;
/** A command name as a comment writes it (after the slash), lower case. */
export const COMMAND_NAME = /^[a-z][a-z0-9_-]*$/;

/** No projects means every project of the pull request (and always none for a command that takes none). */
export type NamedCommand<N extends string = string> = { readonly kind: N; readonly projects: readonly string[]; readonly line: number };
/** `/aply`: a line that looks like a command but names none; `suggestion` is the likely intent. */
export type UnknownCommand<N extends string = string> = { readonly kind: "unknown"; readonly name: string; readonly suggestion: N | null; readonly line: number };
/** A known command with an argument that cannot be a project name; `message` is for the author. */
export type InvalidCommand<N extends string = string> = { readonly kind: "invalid"; readonly command: N; readonly token: string; readonly message: string; readonly line: number };
export type ParsedCommand<N extends string = string> = NamedCommand<N> | UnknownCommand<N> | InvalidCommand<N>;

// With N = string a command's kind could be any string, so `kind === "unknown"` alone narrows
// nothing: these guards do (the names were checked against RESERVED_KINDS).
export const isUnknownCommand = <N extends string>(c: ParsedCommand<N>): c is UnknownCommand<N> => c.kind === "unknown";
export const isInvalidCommand = <N extends string>(c: ParsedCommand<N>): c is InvalidCommand<N> => c.kind === "invalid";
export const isNamedCommand = <N extends string>(c: ParsedCommand<N>): c is NamedCommand<N> => !isUnknownCommand(c) && !isInvalidCommand(c);

/** The command's name as the comment wrote it (`aply` for an unknown one). */
export function writtenName(c: ParsedCommand): string {
  return isUnknownCommand(c) ? c.name : isInvalidCommand(c) ? c.command : c.kind;
}

/** Why `names` cannot be a command set, or null: each must be a COMMAND_NAME, distinct and not reserved. */
export function commandNamesProblem(names: readonly string[]): string | null {
  const seen = new Set<string>();
  for (const name of names) {
    if (!COMMAND_NAME.test(name)) return `command name "${name}" must be lower-case letters, digits, "-" or "_", starting with a letter`;
    if ((RESERVED_KINDS as readonly string[]).includes(name)) return `command name "${name}" is reserved`;
    if (seen.has(name)) return `command name "${name}" is registered twice`;
    seen.add(name);
  }
  return null;
}

/** Commands only up to 3 spaces in: from 4 on, Markdown reads the line as code or a continuation. */
const MAX_INDENT = 3;
// A name directly followed by whitespace or the end of the line: `/etc/hosts` or `/plan.` is text.
const COMMAND_LINE = /^\/([A-Za-z][A-Za-z0-9_-]*)(?=\s|$)(.*)$/;

/**
 * The commands of a comment body, in line order, for the `commands` given. Ordinary text
 * mentioning /plan mid-line is ignored.
 */
export function parseCommands<N extends string>(body: string, commands: readonly CommandSyntax<N>[]): ParsedCommand<N>[] {
  const parsed: ParsedCommand<N>[] = [];
  for (const { line, text, indent } of plainTextLines(body)) {
    if (indent > MAX_INDENT) continue;
    const m = COMMAND_LINE.exec(text.trim());
    if (!m?.[1]) continue;
    // Case-insensitive: phone keyboards capitalise the first letter of a line.
    const name = m[1].toLowerCase();
    const command = commands.find((c) => c.name === name);
    if (!command) {
      parsed.push({ kind: "unknown", name: m[1], suggestion: suggest(name, commands), line });
      continue;
    }
    if (!command.takesProjects) {
      parsed.push({ kind: command.name, projects: [], line });
      continue;
    }
    const tokens = (m[2] ?? "").trim().split(/\s+/).filter((t) => t !== "");
    const bad = tokens.find((t) => !PROJECT_NAME.test(t));
    if (bad !== undefined) {
      const shown = bad.length > 80 ? `${bad.slice(0, 80)}…` : bad;
      parsed.push({ kind: "invalid", command: command.name, token: bad, message: `"${shown}" is not a project name: ${PROJECT_NAME_RULE}`, line });
      continue;
    }
    parsed.push({ kind: command.name, projects: [...new Set(tokens)], line });
  }
  return parsed;
}

/** The command within edit distance 2 of a mistyped name, if exactly one is closest. */
function suggest<N extends string>(name: string, commands: readonly CommandSyntax<N>[]): N | null {
  let best: N | null = null;
  let bestDistance = 3;
  let tie = false;
  for (const { name: c } of commands) {
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
