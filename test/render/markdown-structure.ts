/**
 * Checks a comment body the way GitHub's CommonMark parser sees it: every fence closed, and
 * `<details>` balanced outside fences (inside a fence a `</details>` is just text).
 */
export function structureProblems(body: string): string[] {
  const problems: string[] = [];
  let fence: { char: string; length: number; line: number } | null = null;
  let depth = 0;
  body.split("\n").forEach((line, i) => {
    if (fence) {
      const close = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(line)?.[1];
      if (close && close[0] === fence.char && close.length >= fence.length) fence = null;
      return;
    }
    const open = /^ {0,3}(`{3,}(?=[^`]*$)|~{3,})/.exec(line)?.[1];
    if (open) {
      fence = { char: open[0] as string, length: open.length, line: i + 1 };
      return;
    }
    depth += (line.match(/<details>/g) ?? []).length;
    depth -= (line.match(/<\/details>/g) ?? []).length;
    if (depth < 0) problems.push(`line ${i + 1}: </details> without <details>`);
    if (depth > 1) problems.push(`line ${i + 1}: nested <details>`);
  });
  if (fence !== null) problems.push(`fence opened on line ${(fence as { line: number }).line} is not closed`);
  if (depth !== 0) problems.push(`${depth} <details> not closed`);
  return problems;
}
