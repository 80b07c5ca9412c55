/**
 * Orders strings by UTF-16 code units: the same on every machine and locale, and free, where
 * `localeCompare` loads ICU's collator on first use (~10 ms of a CLI run) and is slow per call.
 * Project names, contexts and ISO timestamps need a stable order, not a linguistic one.
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
