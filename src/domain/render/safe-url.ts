/**
 * A URL fit for a Markdown link or autolink, or null: only http(s), and no character that could
 * end the link early or break a table row. Parentheses and `|` are percent-encoded, which servers
 * read as the same URL. Overlong URLs are refused: they would bloat every table row.
 */
export function safeUrl(url: string): string | null {
  if (url.length > 2000 || !/^https?:\/\/[^\s<>"'`\\]+$/i.test(url)) return null;
  return url.replace(/[()|]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
}
