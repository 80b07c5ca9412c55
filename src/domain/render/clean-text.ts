/**
 * Text from a plan or a pull request, made safe to show whatever the context: one kind of line
 * ending (a lone CR is a Markdown line break), no terminal escapes or control characters, and no
 * bidirectional overrides, which can make a diff read differently from what it does.
 */
export function cleanText(text: string): string {
  /* eslint-disable no-control-regex -- matching control characters is the point */
  return text
    .replace(/\r\n?/g, "\n")
    .replace(/\u001b\[[0-9;?]*[ -/]*[@-~]/g, "")
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "")
    .replace(/[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, "\ufffd");
  /* eslint-enable no-control-regex */
}

/** One line of at most `max` characters, for names and messages shown inline. */
export function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s*\n\s*/g, " ").trim();
  return flat.length > max ? `${cutAt(flat, max - 1)}…` : flat;
}

/** The first `n` UTF-16 units, one less if that would split a surrogate pair. */
export function cutAt(text: string, n: number): string {
  const code = text.charCodeAt(n - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? n - 1 : n);
}
