/**
 * A Markdown code span outside tables (codeCell in render-policy.ts is for table cells, where `|`
 * must be escaped; outside a table the backslash would show). Inside a code span nothing is
 * interpreted: no HTML, no emphasis, no mentions or issue links.
 */
export function inlineCode(text: string): string {
  const flat = text.replace(/[\r\n]+/g, " ");
  if (flat === "") return "` `";
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((r) => r.length));
  const delimiter = "`".repeat(longest + 1);
  // CommonMark strips one space on each side when both are present; pad so nothing is lost.
  const pad = /^[` ]|[` ]$/.test(flat) ? " " : "";
  return `${delimiter}${pad}${flat}${pad}${delimiter}`;
}
