/**
 * Masks credentials recognisable by their shape. The secret scrubber only knows the values it is
 * given (the server's own secrets), but installation tokens are minted hourly and a private key
 * read from a file is not in that list: these patterns catch them wherever they turn up, e.g. a
 * git URL in an error message or an Octokit error quoting its request headers.
 */
const PATTERNS: ReadonlyArray<readonly [RegExp, string]> = [
  // PEM private keys, whole (also when a message re-wrapped or escaped their lines), and up to
  // the end of the text when it was cut before the END line.
  [/-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----[\s\S]*?(?:-----END \1PRIVATE KEY-----|$)/g, "***"],
  // GitHub tokens: personal (ghp_), OAuth (gho_), user-to-server (ghu_), installation (ghs_),
  // refresh (ghr_), fine-grained personal (github_pat_). The prefix stays: it says what leaked.
  [/\b(gh[pousr]_)[A-Za-z0-9]{16,}/g, "$1***"],
  [/\b(github_pat_)[A-Za-z0-9_]{16,}/g, "$1***"],
  // Credentials in URLs: https://x-access-token:TOKEN@github.com/… keeps the user name.
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:)[^\s/@]+@/gi, "$1***@"],
  // Authorization values (headers, git's http.extraHeader, quoted in JSON): the scheme stays.
  [/(authorization["']?\s*[:=]\s*["']?(?:basic|bearer|token)\s+)[^\s"',;}]+/gi, "$1***"],
  // JWTs (the App's own authentication) are bearer credentials for ten minutes.
  [/\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+/g, "***"],
];

export function maskCredentialPatterns(text: string): string {
  let out = text;
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}
