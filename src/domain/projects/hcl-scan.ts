/**
 * A lexical HCL scanner that extracts what change detection needs from a `.tf` file: the local
 * `module` calls (name, literal `source`, line) and whether the file declares a backend.
 *
 * Why not a full parser: detection must read every configuration file of a monorepo (5,000
 * projects in the benchmark) to build the module graph. The WASM HCL parser costs ~0.8 ms a file;
 * this scanner understands HCL's lexical structure (quoted templates with nested interpolation,
 * heredocs, comments, brackets) and block structure, which is exactly enough to find
 * `module "x" { source = "…" }`, at a small fraction of the cost. Changed files are additionally
 * validated by the full parser, so syntax errors still get the parser's precise message.
 */

import { Lexer, ScanError, type Token } from "./hcl-lexer.js";

export interface HclModuleCall {
  readonly name: string;
  /** The literal source string; null when the source is not a plain string literal. */
  readonly source: string | null;
  readonly line: number;
}

export interface HclFileSummary {
  readonly modules: readonly HclModuleCall[];
  readonly hasBackend: boolean;
}

export type HclScanResult =
  | { readonly ok: true; readonly summary: HclFileSummary }
  | { readonly ok: false; readonly line: number; readonly message: string };

interface BlockContext {
  /** The path of block types from the top, e.g. ["terraform", "backend"]. */
  readonly types: readonly string[];
  readonly moduleName: string | null;
}

class BodyScanner {
  readonly modules: HclModuleCall[] = [];
  hasBackend = false;

  constructor(private readonly lex: Lexer) {}

  body(ctx: BlockContext, openLine: number): void {
    for (;;) {
      const t = this.lex.next();
      if (t.kind === "newline") continue;
      if (t.kind === "eof") {
        if (ctx.types.length > 0) throw new ScanError(openLine, `unclosed block "${ctx.types.join(".")}": missing }`);
        return;
      }
      if (t.kind === "}") {
        if (ctx.types.length === 0) throw new ScanError(t.line, "unexpected }");
        return;
      }
      if (t.kind !== "ident") throw new ScanError(t.line, "expected an attribute name or a block type");
      this.item(t, ctx);
    }
  }

  private item(nameToken: Token, ctx: BlockContext): void {
    const name = nameToken.value as string;
    let t = this.lex.next();
    if (t.kind === "=") {
      this.attribute(name, nameToken.line, ctx);
      return;
    }
    const labels: string[] = [];
    while (t.kind === "string" || t.kind === "ident") {
      labels.push(t.value ?? "");
      t = this.lex.next();
    }
    if (t.kind !== "{") {
      throw new ScanError(nameToken.line, `expected "=" or a block body after "${name}"`);
    }
    const types = [...ctx.types, name];
    if (types.length === 2 && types[0] === "terraform" && (name === "backend" || name === "cloud")) {
      this.hasBackend = true;
    }
    const moduleName = types.length === 1 && name === "module" ? (labels[0] ?? "") : null;
    this.body({ types, moduleName }, nameToken.line);
  }

  private attribute(name: string, line: number, ctx: BlockContext): void {
    const first = this.lex.next();
    const second = first.kind === "newline" || first.kind === "eof" || first.kind === "}" ? first : this.lex.next();
    if (ctx.moduleName !== null && ctx.types.length === 1 && name === "source") {
      const literal = first.kind === "string" && (second.kind === "newline" || second.kind === "eof" || second.kind === "}");
      this.modules.push({ name: ctx.moduleName, source: literal ? first.value : null, line });
    }
    this.skipExpression(second === first ? [first] : [first, second]);
  }

  /** Consumes the rest of an expression: up to a newline or a closing brace at bracket depth 0. */
  private skipExpression(seen: Token[]): void {
    let depth = 0;
    const step = (t: Token): boolean => {
      if (t.kind === "{" || t.kind === "[" || t.kind === "(") depth++;
      else if (t.kind === "}" || t.kind === "]" || t.kind === ")") {
        if (depth === 0) {
          if (t.kind === "}") this.lex.unread(t);
          return true;
        }
        depth--;
      } else if (t.kind === "eof") {
        this.lex.unread(t);
        return true;
      } else if (t.kind === "newline" && depth === 0) return true;
      return false;
    };
    // `seen` holds at most two tokens and only the last can end the expression.
    for (const t of seen) if (step(t)) return;
    for (;;) if (step(this.lex.next())) return;
  }
}

export function scanHcl(text: string): HclScanResult {
  const lex = new Lexer(text);
  const scanner = new BodyScanner(lex);
  try {
    scanner.body({ types: [], moduleName: null }, 1);
  } catch (err) {
    if (err instanceof ScanError) return { ok: false, line: err.line, message: err.message };
    // Blocks and interpolations are read recursively: thousands of levels overflow the stack.
    if (err instanceof RangeError) return { ok: false, line: 1, message: "nested too deeply to read" };
    throw err;
  }
  return { ok: true, summary: { modules: scanner.modules, hasBackend: scanner.hasBackend } };
}

/** The same summary for Terraform's JSON configuration syntax (`*.tf.json`). */
export function scanHclJson(text: string): HclScanResult {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    return { ok: false, line: 1, message: `invalid JSON: ${(err as Error).message}` };
  }
  const modules: HclModuleCall[] = [];
  let hasBackend = false;
  const asList = (v: unknown): Record<string, unknown>[] =>
    (Array.isArray(v) ? v : [v]).filter((x): x is Record<string, unknown> => typeof x === "object" && x !== null);
  if (typeof doc === "object" && doc !== null) {
    const root = doc as Record<string, unknown>;
    for (const block of asList(root["module"])) {
      for (const [name, body] of Object.entries(block)) {
        for (const b of asList(body)) {
          const source = b["source"];
          modules.push({ name, source: typeof source === "string" && !source.includes("${") ? source : null, line: 1 });
        }
      }
    }
    for (const t of asList(root["terraform"])) if ("backend" in t || "cloud" in t) hasBackend = true;
  }
  return { ok: true, summary: { modules, hasBackend } };
}

/** Scans a configuration file in its syntax: JSON for `*.tf.json` and `*.tofu.json`. */
export function scanConfigText(path: string, text: string): HclScanResult {
  return path.endsWith(".json") ? scanHclJson(text) : scanHcl(text);
}
