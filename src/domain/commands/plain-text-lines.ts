/**
 * Which lines of a Markdown comment start as ordinary text: not inside a fenced or indented code
 * block, a code span, a blockquote, an HTML comment or a raw HTML element (`<pre>`, `<code>`…).
 *
 * This is not a Markdown parser: it tracks only the constructs that can hide text, and where it
 * cannot tell (list containers, lazy continuation lines) it errs towards hiding. A command that is
 * missed is visible to its author (no 👀 reaction, no reply); a command run from a quoted or
 * pasted snippet is not, and `/apply` changes infrastructure.
 */

export interface TextLine {
  /** 1-based line number in the comment body. */
  readonly line: number;
  readonly text: string;
  /** Width of the leading whitespace in columns (a tab advances to the next multiple of 4). */
  readonly indent: number;
}

interface Fence {
  readonly char: "`" | "~";
  readonly length: number;
  /** Column of the fence's first character. */
  readonly col: number;
}

type State =
  | { readonly kind: "text" }
  | { readonly kind: "fence"; readonly fence: Fence }
  | { readonly kind: "comment" }
  /** Inside `<pre>`, `<code>`…; `close` is the lower-case closing tag to look for. */
  | { readonly kind: "raw"; readonly close: string };

const TEXT: State = { kind: "text" };
const RAW_OPEN = /<(pre|code|script|style|textarea)(?=[\s>/]|$)/i;

export function plainTextLines(body: string): TextLine[] {
  const lines = body.split(/\r\n|\r|\n/);
  const out: TextLine[] = [];
  let state: State = TEXT;
  // After a `>` line every following non-blank line may be a lazy continuation of the quote
  // (CommonMark renders it inside the quote), so nothing counts until a blank line.
  let quoted = false;
  let paragraph: TextLine[] = [];
  const endParagraph = () => {
    out.push(...outsideCodeSpans(paragraph));
    paragraph = [];
  };

  lines.forEach((raw, i) => {
    const line = i + 1;
    if (state.kind === "fence") {
      const close = closingFence(raw, state.fence);
      if (close !== null) state = close.reopen ? { kind: "fence", fence: close.reopen } : TEXT;
      return;
    }
    if (state.kind !== "text") {
      state = scanHtml(raw, state);
      return;
    }
    if (raw.trim() === "") {
      quoted = false;
      endParagraph();
      return;
    }
    const indent = indentOf(raw);
    const rest = raw.trimStart();
    const fence = rest.startsWith(">") ? null : openingFence(raw);
    if (fence) {
      endParagraph();
      // A fence is never a lazy continuation line: a quote above has ended.
      quoted = false;
      state = { kind: "fence", fence };
      return;
    }
    const html = scanHtml(raw, TEXT);
    const touchesHtml = html.kind !== "text" || hasHtmlOpening(raw);
    if (rest.startsWith(">") || touchesHtml) {
      if (rest.startsWith(">")) quoted = true;
      endParagraph();
      state = html;
      return;
    }
    if (quoted) return;
    // An indented line with no paragraph above starts an indented code block, which is not text.
    if (indent >= 4 && paragraph.length === 0) return;
    paragraph.push({ line, text: raw, indent });
  });
  endParagraph();
  return out;
}

function indentOf(raw: string): number {
  let col = 0;
  for (const c of raw) {
    if (c === " ") col++;
    else if (c === "\t") col += 4 - (col % 4);
    else break;
  }
  return col;
}

/**
 * An opening fence, also after list markers and quote markers on the same line (`- ```sh`): a
 * fence inside a list item hides the item's later lines even though they start with spaces only.
 */
function openingFence(raw: string): Fence | null {
  let i = 0;
  let col = 0;
  for (;;) {
    while (raw[i] === " " || raw[i] === "\t") {
      col = raw[i] === "\t" ? col + 4 - (col % 4) : col + 1;
      i++;
    }
    const marker = /^(?:[-+*]|\d{1,9}[.)]|>)(?=[ \t]|$)/.exec(raw.slice(i));
    if (!marker) break;
    i += marker[0].length;
    col += marker[0].length;
  }
  const rest = raw.slice(i);
  // A backtick fence's info string cannot hold a backtick (```x``` on one line is a code span).
  const m = /^(`{3,})[^`]*$/.exec(rest) ?? /^(~{3,})/.exec(rest);
  if (!m?.[1]) return null;
  return { char: m[1][0] === "`" ? "`" : "~", length: m[1].length, col };
}

/**
 * Whether a line closes the fence. A fence at column 0 is at the top level: CommonMark closes it
 * with up to 3 spaces of indentation. A fence further right may sit in a list item whose width we
 * do not track; a closing line left of it may end the item instead, and then it opens a new fence
 * at the outer level — so it is treated as closing and reopening, which hides more, never less.
 */
function closingFence(raw: string, fence: Fence): { reopen: Fence | null } | null {
  const m = /^[ \t]*(`{3,}|~{3,})[ \t]*$/.exec(raw);
  const run = m?.[1];
  if (!run || run[0] !== fence.char || run.length < fence.length) return null;
  const indent = indentOf(raw);
  if (fence.col === 0) return indent <= 3 ? { reopen: null } : null;
  if (indent > fence.col) return null;
  return { reopen: indent < fence.col ? { char: fence.char, length: run.length, col: indent } : null };
}

function hasHtmlOpening(raw: string): boolean {
  return raw.includes("<!--") || RAW_OPEN.test(raw);
}

/** The state after a line that starts in `start`; comments and raw elements may span lines. */
function scanHtml(raw: string, start: State): State {
  let state = start;
  let pos = 0;
  const lower = raw.toLowerCase();
  for (;;) {
    if (state.kind === "comment") {
      const end = raw.indexOf("-->", pos);
      if (end < 0) return state;
      pos = end + 3;
      state = TEXT;
    } else if (state.kind === "raw") {
      const end = lower.indexOf(state.close, pos);
      if (end < 0) return state;
      pos = end + state.close.length;
      state = TEXT;
    } else {
      const comment = raw.indexOf("<!--", pos);
      const rawMatch = RAW_OPEN.exec(raw.slice(pos));
      const rawAt = rawMatch ? pos + rawMatch.index : -1;
      if (comment < 0 && rawAt < 0) return state;
      if (comment >= 0 && (rawAt < 0 || comment < rawAt)) {
        state = { kind: "comment" };
        pos = comment + 4;
      } else {
        const tag = (rawMatch?.[1] ?? "").toLowerCase();
        state = { kind: "raw", close: `</${tag}` };
        pos = rawAt + tag.length + 1;
      }
    }
  }
}

/**
 * Drops the lines of a paragraph that begin inside a code span: a span can run across lines
 * ("`" at the end of one line, "`" on a later one), hiding the lines between.
 */
function outsideCodeSpans(paragraph: readonly TextLine[]): TextLine[] {
  if (paragraph.length < 2) return [...paragraph];
  const text = paragraph.map((l) => l.text).join("\n");
  const spans: [number, number][] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === "\\" && /[!-/:-@[-`{-~]/.test(text[i + 1] ?? "")) {
      i += 2;
      continue;
    }
    if (c !== "`") {
      i++;
      continue;
    }
    const n = runLength(text, i);
    const close = findRun(text, i + n, n);
    if (close < 0) {
      i += n; // no closer: the backticks are literal
      continue;
    }
    spans.push([i, close + n]);
    i = close + n;
  }
  const kept: TextLine[] = [];
  let offset = 0;
  for (const l of paragraph) {
    if (!spans.some(([s, e]) => offset > s && offset < e)) kept.push(l);
    offset += l.text.length + 1;
  }
  return kept;
}

function runLength(text: string, at: number): number {
  let n = 0;
  while (text[at + n] === "`") n++;
  return n;
}

/** Start of the next run of exactly `n` backticks at or after `from`, or -1. */
function findRun(text: string, from: number, n: number): number {
  let i = text.indexOf("`", from);
  while (i >= 0) {
    const len = runLength(text, i);
    if (len === n) return i;
    i = text.indexOf("`", i + len);
  }
  return -1;
}
