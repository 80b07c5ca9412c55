/**
 * The hidden first line of every summary comment, so the server finds its comments again and
 * updates them in place instead of adding new ones on every push.
 */
export const SUMMARY_MARKER = "<!-- tfgate:summary v1 -->";

export type SummaryPart =
  /** The first comment does not say how many parts follow: the count changes from push to push. */
  | { readonly part: 1; readonly total: null }
  | { readonly part: number; readonly total: number };

/** The marker line of part `part` (1-based) of `total`. */
export function summaryMarker(part: number, total: number): string {
  return part === 1 ? SUMMARY_MARKER : `<!-- tfgate:summary v1 part ${part}/${total} -->`;
}

/**
 * Which part of a summary a comment body is, or null when it is not one. Only the first line
 * counts, so a diff or a user quoting the marker further down cannot claim a comment. The caller
 * must also check the comment's author is the app: anyone can type the marker.
 */
export function readSummaryMarker(body: string): SummaryPart | null {
  const first = (body.split("\n", 1)[0] ?? "").replace(/^\uFEFF/, "").trim();
  if (first === SUMMARY_MARKER) return { part: 1, total: null };
  const m = /^<!-- tfgate:summary v1 part ([1-9]\d{0,3})\/([1-9]\d{0,3}) -->$/.exec(first);
  if (!m) return null;
  const part = Number(m[1]);
  const total = Number(m[2]);
  return part >= 2 && part <= total ? { part, total } : null;
}
