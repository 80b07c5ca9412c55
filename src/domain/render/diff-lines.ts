import { cutAt } from "./clean-text.js";

/**
 * The plan as tofu renders it (no colour) as lines for a ```diff fence. GitHub colours a diff line by its first
 * character, while tofu indents its `+`/`-`/`~` markers; moving the marker to column 0 (keeping
 * the width, so attributes stay aligned) makes created lines green and destroyed lines red. A
 * ```hcl fence would not help: the text is not HCL (`->`, `(known after apply)`, markers) and the
 * highlighter would colour names, not what changes.
 */
export function diffLines(diff: string): string[] {
  return textLines(diff).map((line) => line.replace(/^( +)([-+~])( )/, "$2$1$3"));
}

export const MAX_LINE_LENGTH = 2000;

/** Lines of diagnostics or other text for a fence: no blank lines around it, overlong lines cut. */
export function textLines(text: string): string[] {
  const trimmed = text.replace(/^(?:[ \t]*\n)+/, "").replace(/\s+$/, "");
  if (trimmed === "") return [];
  // One huge line (a policy document in a string) must not use up a comment on its own.
  return trimmed
    .split("\n")
    .map((l) => (l.length > MAX_LINE_LENGTH ? `${cutAt(l, MAX_LINE_LENGTH)}… (${l.length - MAX_LINE_LENGTH} more characters)` : l));
}
