/**
 * Replaces known secret values (the server passes those of its environment) with `***`.
 * tofu's plan rendering already masks sensitive values; this catches secrets that leak through
 * error messages, provider debug output or outputs not marked sensitive. Credentials known by
 * their shape (GitHub tokens, passwords in URLs, private keys) are masked too, whatever their value.
 */
import { maskCredentialPatterns } from "./mask-credential-patterns.js";

export type SecretScrubber = (text: string) => string;

/** Shorter values would blank out ordinary words and numbers, and are not secrets worth the name. */
export const MIN_SECRET_LENGTH = 4;
/** Lines of a multi-line secret (a PEM key) are also scrubbed alone, in case output re-wraps them. */
const MIN_SECRET_LINE_LENGTH = 8;

export function createSecretScrubber(secrets: readonly string[]): SecretScrubber {
  const values = new Set<string>();
  for (const secret of secrets) {
    const s = secret.replace(/\r\n?/g, "\n");
    if (s.trim().length >= MIN_SECRET_LENGTH) values.add(s);
    if (s.includes("\n")) {
      for (const line of s.split("\n")) if (line.trim().length >= MIN_SECRET_LINE_LENGTH) values.add(line.trim());
    }
  }
  // Longest first, so a secret containing another is replaced whole.
  const ordered = [...values].sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const s of ordered) if (out.includes(s)) out = out.split(s).join("***");
    return maskCredentialPatterns(out);
  };
}
