import { DEFAULT_MAX_BODY_LENGTH, GITHUB_COMMENT_LIMIT } from "../render/render-summary.js";

const SEPARATOR = "\n\n";
/** A first line longer than this is no headline: the answer is left out whole. */
const MAX_HEADLINE = 1_000;

export interface ComposeReplyOptions {
  /** Characters the body may have; the summary's margin under GitHub's limit by default. */
  readonly budget?: number;
}

const cutNote = (leftOut: number) =>
  `_✂️ This reply was shortened to stay under GitHub's ${GITHUB_COMMENT_LIMIT.toLocaleString("en-US")}-character comment limit: ${leftOut.toLocaleString("en-US")} characters were left out. The full output of an apply is in its run log (tfgate's web UI)._`;

/**
 * The one reply to a command comment: `@author`, each command's answer in order, then `notes`
 * (what was not run and why), which are short and always kept. When the answers do not fit under
 * GitHub's comment limit, the answers that do not fit are cut to their first line (every answer
 * starts with a headline: "✅ `x` applied", "**`/apply` refused**"…) or, if even that does not
 * fit, left out, and a closing note says so. An answer is never cut inside: a cut code span or
 * fence would let the rest of the text render as Markdown or HTML.
 */
export function composeReply(author: string, answers: readonly string[], notes: readonly string[], options: ComposeReplyOptions = {}): string {
  const budget = options.budget ?? DEFAULT_MAX_BODY_LENGTH;
  const head = `@${author} `;
  const full = head + [...answers, ...notes].join(SEPARATOR);
  if (full.length <= budget) return full;

  // Room kept for the notes and the closing note, whatever the count it ends up showing.
  const reserve = [...notes, cutNote(Number.MAX_SAFE_INTEGER)].reduce((n, t) => n + SEPARATOR.length + t.length, 0);
  const room = budget - reserve;
  const kept: string[] = [];
  let used = head.length;
  let leftOut = 0;
  const fits = (text: string) => used + (kept.length > 0 ? SEPARATOR.length : 0) + text.length <= room;
  const keep = (text: string) => {
    used += (kept.length > 0 ? SEPARATOR.length : 0) + text.length;
    kept.push(text);
  };
  for (const answer of answers) {
    if (fits(answer)) {
      keep(answer);
      continue;
    }
    const headline = answer.split("\n", 1)[0] ?? "";
    if (headline.length <= MAX_HEADLINE && headline.length < answer.length && fits(headline)) {
      keep(headline);
      leftOut += answer.length - headline.length;
    } else leftOut += answer.length;
  }
  return head + [...kept, ...notes, cutNote(leftOut)].join(SEPARATOR);
}
