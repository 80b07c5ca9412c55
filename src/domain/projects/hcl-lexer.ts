/**
 * The lexical layer of the HCL scanner (see hcl-scan.ts): tokens, quoted templates with nested
 * interpolation, heredocs and comments, with line numbers for error messages.
 */
export type TokenKind = "ident" | "string" | "{" | "}" | "[" | "]" | "(" | ")" | "=" | "newline" | "eof" | "other";

export interface Token {
  readonly kind: TokenKind;
  /** Identifier name, or literal string value (null for templates and heredocs). */
  readonly value: string | null;
  readonly line: number;
}

export class ScanError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

// Character classes by code: this loop runs over every byte of a monorepo's configuration.
function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}
function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57) || c === 45;
}

export class Lexer {
  private pos = 0;
  private line = 1;
  private pushedBack: Token | null = null;

  constructor(private readonly text: string) {}

  unread(token: Token): void {
    this.pushedBack = token;
  }

  next(): Token {
    if (this.pushedBack) {
      const t = this.pushedBack;
      this.pushedBack = null;
      return t;
    }
    const s = this.text;
    for (;;) {
      const c = s[this.pos];
      if (c === undefined) return { kind: "eof", value: null, line: this.line };
      if (c === " " || c === "\t" || c === "\r" || c === "\uFEFF") {
        this.pos++;
        continue;
      }
      if (c === "\n") {
        this.pos++;
        this.line++;
        return { kind: "newline", value: null, line: this.line - 1 };
      }
      if (c === "#" || (c === "/" && s[this.pos + 1] === "/")) {
        while (this.pos < s.length && s[this.pos] !== "\n") this.pos++;
        continue;
      }
      if (c === "/" && s[this.pos + 1] === "*") {
        const startLine = this.line;
        const end = s.indexOf("*/", this.pos + 2);
        if (end < 0) throw new ScanError(startLine, "unterminated /* comment");
        this.countLines(this.pos, end + 2);
        this.pos = end + 2;
        continue;
      }
      const line = this.line;
      if (c === '"') return { kind: "string", value: this.quoted(), line };
      if (c === "<" && s[this.pos + 1] === "<" && /[-A-Za-z_]/.test(s[this.pos + 2] ?? "")) {
        this.heredoc();
        return { kind: "string", value: null, line };
      }
      if (isIdentStart(s.charCodeAt(this.pos))) {
        const start = this.pos;
        this.pos++;
        while (this.pos < s.length && isIdentPart(s.charCodeAt(this.pos))) this.pos++;
        return { kind: "ident", value: s.slice(start, this.pos), line };
      }
      this.pos++;
      if (c === "=") {
        const n = s[this.pos];
        if (n === "=" || n === ">") {
          this.pos++;
          return { kind: "other", value: null, line };
        }
        return { kind: "=", value: null, line };
      }
      if (c === "{" || c === "}" || c === "[" || c === "]" || c === "(" || c === ")") {
        return { kind: c, value: null, line };
      }
      return { kind: "other", value: null, line };
    }
  }

  private countLines(from: number, to: number): void {
    for (let i = from; i < to; i++) if (this.text.charCodeAt(i) === 10) this.line++;
  }

  /** Reads a quoted template starting at `"`; returns its value, or null if it interpolates. */
  private quoted(): string | null {
    const s = this.text;
    const startLine = this.line;
    this.pos++;
    let value = "";
    let literal = true;
    for (;;) {
      const c = s[this.pos];
      if (c === undefined || c === "\n") throw new ScanError(startLine, "unterminated string");
      if (c === '"') {
        this.pos++;
        return literal ? value : null;
      }
      if (c === "\\") {
        const n = s[this.pos + 1];
        value += n === "n" ? "\n" : n === "t" ? "\t" : (n ?? "");
        this.pos += 2;
        continue;
      }
      if ((c === "$" || c === "%") && s[this.pos + 1] === c && s[this.pos + 2] === "{") {
        value += `${c}{`;
        this.pos += 3;
        continue;
      }
      if ((c === "$" || c === "%") && s[this.pos + 1] === "{") {
        literal = false;
        this.pos += 2;
        this.skipInterpolation(startLine);
        continue;
      }
      value += c;
      this.pos++;
    }
  }

  /** Skips the expression inside `${ … }` (which may hold strings and braces) up to its `}`. */
  private skipInterpolation(startLine: number): void {
    let depth = 0;
    for (;;) {
      const t = this.next();
      if (t.kind === "eof") throw new ScanError(startLine, "unterminated template interpolation");
      if (t.kind === "{") depth++;
      else if (t.kind === "}") {
        if (depth === 0) return;
        depth--;
      }
    }
  }

  private heredoc(): void {
    const s = this.text;
    const startLine = this.line;
    const header = /^<<-?([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\r?\n/.exec(s.slice(this.pos, this.pos + 200));
    if (!header) throw new ScanError(startLine, "malformed heredoc header (expected <<MARKER and a newline)");
    const marker = header[1] as string;
    this.pos += header[0].length;
    this.line++;
    for (;;) {
      if (this.pos >= s.length) throw new ScanError(startLine, `unterminated heredoc: no closing ${marker}`);
      let end = s.indexOf("\n", this.pos);
      if (end < 0) end = s.length;
      const lineText = s.slice(this.pos, end).trim();
      this.pos = end;
      if (lineText === marker) return;
      if (end < s.length) {
        this.pos++;
        this.line++;
      }
    }
  }
}
