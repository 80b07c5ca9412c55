/**
 * Splits the summary into comment bodies. Blocks are whole Markdown constructs (a `<details>`
 * with its fence, a note, a table) and are never cut, so every body renders on its own; a table
 * is cut between rows and its header repeated.
 */
export type SummaryBlock =
  /** `compact` stands in when the body count reached its limit (a diff fold becomes one line). */
  | { readonly kind: "text"; readonly text: string; readonly compact?: string }
  | { readonly kind: "table"; readonly head: string; readonly rows: readonly string[] };

export interface PackOptions {
  /** Characters per body for blocks, each ending in "\n" and joined with "\n" (a blank line). */
  readonly budget: number;
  /** Once this many bodies are in use, blocks that do not fit use their compact form. */
  readonly maxParts: number;
}

const TOO_LARGE = "_(This section is too large for a comment.)_\n";

/** The blocks' texts grouped per body; each group joined with "\n" is at most `budget` long. */
export function packBlocks(blocks: readonly SummaryBlock[], options: PackOptions): string[][] {
  const { budget, maxParts } = options;
  const parts: string[][] = [[]];
  let used = 0;
  const current = () => parts[parts.length - 1] as string[];
  const fits = (text: string) => (current().length === 0 ? text.length : used + 1 + text.length) <= budget;
  const add = (text: string) => {
    used = current().length === 0 ? text.length : used + 1 + text.length;
    current().push(text);
  };
  const newPart = () => {
    if (current().length === 0) return;
    parts.push([]);
    used = 0;
  };

  for (const block of blocks) {
    if (block.kind === "table") {
      let i = 0;
      while (i < block.rows.length) {
        let text = block.head;
        let n = 0;
        for (; i + n < block.rows.length; n++) {
          const next = `${text}\n${block.rows[i + n]}`;
          if (!fits(`${next}\n`)) break;
          text = next;
        }
        if (n === 0) {
          if (current().length === 0) throw new Error("a table row is longer than a comment body");
          newPart();
          continue;
        }
        add(`${text}\n`);
        i += n;
      }
      continue;
    }
    const compact = block.compact === undefined ? null : block.compact.length <= budget ? block.compact : TOO_LARGE;
    // Callers fit their blocks to the budget; this only keeps the limit if one did not.
    const text = block.text.length <= budget ? block.text : (compact ?? TOO_LARGE);
    if (fits(text)) add(text);
    else if (compact !== null && parts.length >= maxParts && fits(compact)) add(compact);
    else {
      newPart();
      add(compact !== null && parts.length > maxParts ? compact : text);
    }
  }
  return parts;
}
