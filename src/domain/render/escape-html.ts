/**
 * Text inside raw HTML (a `<details>` summary line): Markdown is not processed there, so the
 * backslash escapes of escapeCell would show; HTML entities are needed instead. The zero-width
 * space after `@` keeps GitHub from turning text into a mention.
 */
export function escapeHtml(text: string): string {
  return text
    .replace(/[\r\n]+/g, " ")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;")
    .replace(/@/g, "@\u200b");
}
