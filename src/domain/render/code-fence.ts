/**
 * A fenced code block that its content cannot close: the fence is one backtick longer than the
 * longest run of backticks anywhere in the content. Inside a fence nothing else needs escaping.
 */
export function codeFence(lines: readonly string[], info: string): string {
  const fence = fenceFor(lines);
  return `${fence}${info}\n${lines.map((l) => `${l}\n`).join("")}${fence}\n`;
}

export function fenceFor(lines: readonly string[]): string {
  let longest = 0;
  for (const line of lines) {
    if (!line.includes("`")) continue;
    for (const run of line.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  }
  return "`".repeat(Math.max(3, longest + 1));
}
