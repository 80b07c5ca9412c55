const ENTITIES: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text as HTML, in an element or a quoted attribute: the web UI's and the setup pages' values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/**
 * Text inside raw HTML of a comment (a `<details>` summary line): Markdown is not processed
 * there, so the backslash escapes of escapeCell would show; HTML entities are needed instead. One
 * line, since a summary is one; the zero-width space after `@` keeps GitHub from turning text
 * into a mention.
 */
export function escapeCommentHtml(text: string): string {
  return escapeHtml(text.replace(/[\r\n]+/g, " ")).replace(/@/g, "@\u200b");
}
