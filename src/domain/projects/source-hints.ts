/**
 * The module sources a configuration file may hold, found by a byte search instead of the
 * scanner (hcl-scan.ts). Detection uses them only to choose which files could call a changed
 * module, and scans just those: lexing every file of a 5,000-project monorepo on every pull
 * request was most of the cost of detection.
 *
 * The answer must never miss a source the scanner would find. Every literal `source` the scanner
 * records is the identifier `source`, then (blanks only) `=`, then a quoted string without
 * escapes or interpolation. So each such occurrence in the bytes is read here, and whatever could
 * hide one from a plain byte search answers null ("cannot tell: treat as a caller of anything"):
 * a comment between the tokens, an escape, a `$`/`%` sequence or a non-ASCII byte inside the
 * string, a byte-order mark after the start (the lexer reads U+FEFF as a blank anywhere). Extra
 * hints (a `source = "…"` in a heredoc or another block) only cost a scan.
 */
export function sourceHints(bytes: Uint8Array): readonly string[] | null {
  if (hasInnerBom(bytes)) return null;
  const hints: string[] = [];
  let pos = 0;
  for (;;) {
    const at = findSource(bytes, pos);
    if (at < 0) return hints;
    pos = at + SOURCE.length;
    if (at > 0 && isIdentByte(bytes[at - 1] as number)) continue; // e.g. data_source
    let i = skipBlanks(bytes, pos);
    let c = bytes[i];
    if (c === undefined) return hints;
    if (c === SLASH || c === HASH) return null; // a comment may sit between `source` and `=`
    if (c !== EQUALS || bytes[i + 1] === EQUALS) continue; // source_ips, source == x, …
    i = skipBlanks(bytes, i + 1);
    c = bytes[i];
    if (c === SLASH || c === HASH) return null;
    if (c !== QUOTE) continue; // not a string literal: the scanner records no source either
    const literal = readLiteral(bytes, i + 1);
    if (literal === null) return null;
    // An interpolated string: an object's `source = "${path.module}/x.zip"`, or a module source
    // OpenTofu evaluates early (`"../modules/${local.name}"`), which may name any module.
    if (literal === INTERPOLATED) {
      if (!hints.includes(DYNAMIC_SOURCE)) hints.push(DYNAMIC_SOURCE);
      continue;
    }
    hints.push(literal);
    pos = i + 1;
  }
}

const SOURCE = [0x73, 0x6f, 0x75, 0x72, 0x63, 0x65]; // "source"
const SLASH = 0x2f;
const HASH = 0x23;
const EQUALS = 0x3d;
const QUOTE = 0x22;

/** HCL identifiers: letters, digits, `_` and `-`; any non-ASCII byte may be part of a letter. */
function isIdentByte(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f || c === 0x2d || c >= 0x80;
}

/** The next `source` that is not the start of a longer identifier, or -1. */
function findSource(bytes: Uint8Array, from: number): number {
  let i = from;
  for (;;) {
    i = bytes.indexOf(SOURCE[0] as number, i);
    if (i < 0 || i + SOURCE.length > bytes.length) return -1;
    let match = true;
    for (let k = 1; k < SOURCE.length && match; k++) match = bytes[i + k] === SOURCE[k];
    if (match && !isIdentByte(bytes[i + SOURCE.length] ?? 0x20)) return i;
    i++;
  }
}

/** U+FEFF (EF BB BF) anywhere but at offset 0, where it cannot sit between tokens of a source. */
function hasInnerBom(bytes: Uint8Array): boolean {
  for (let i = bytes.indexOf(0xef, 1); i >= 0; i = bytes.indexOf(0xef, i + 1)) {
    if (bytes[i + 1] === 0xbb && bytes[i + 2] === 0xbf) return true;
  }
  return false;
}

function skipBlanks(bytes: Uint8Array, from: number): number {
  let i = from;
  for (;;) {
    const c = bytes[i];
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d) return i;
    i++;
  }
}

/**
 * The hint of a file with an interpolated `source`: it may call any local module (OpenTofu 1.8+
 * evaluates variables and locals in module sources), so it is read whenever a module changes.
 * Not a path: it starts with a NUL, which no source holds.
 */
export const DYNAMIC_SOURCE = "\0dynamic";

/** readLiteral's answer for a string holding a template sequence (`${` or `%{`). */
const INTERPOLATED = Symbol("interpolated");

/**
 * The plain ASCII string from `from` to its closing quote; INTERPOLATED when it holds a `${` or
 * `%{` sequence; null for anything else the scanner would decode (an escape, `$${`, a line end,
 * UTF-8), or when a `${…}` could hide the closing quote (a nested string inside it).
 */
function readLiteral(bytes: Uint8Array, from: number): string | typeof INTERPOLATED | null {
  let out = "";
  for (let i = from; i < bytes.length; i++) {
    const c = bytes[i] as number;
    if (c === QUOTE) return out;
    if ((c === 0x24 || c === 0x25) && bytes[i + 1] === 0x7b) return templateEnd(bytes, i + 2) ? INTERPOLATED : null;
    if (c === 0x5c || c === 0x24 || c === 0x25 || c === 0x0a || c >= 0x80) return null;
    out += String.fromCharCode(c);
  }
  return null;
}

/**
 * True when the template sequence opened before `from` closes with `}` before any quote, brace or
 * line end: a simple `${path.module}`. Anything richer (a nested string or object) cannot tell.
 */
function templateEnd(bytes: Uint8Array, from: number): boolean {
  for (let i = from; i < bytes.length; i++) {
    const c = bytes[i] as number;
    if (c === 0x7d) return true;
    if (c === QUOTE || c === 0x7b || c === 0x0a) return false;
  }
  return false;
}
