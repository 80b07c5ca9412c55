import { createHash } from "node:crypto";
import type * as Hcl2Json from "@cdktn/hcl2json";
import type { HclValidator } from "../../app/ports/hcl-validator.js";


export type HclParserLoader = () => Promise<typeof Hcl2Json>;

/**
 * Full HCL syntax check with @cdktn/hcl2json (HashiCorp's HCL parser compiled to WASM; the
 * maintained fork of @cdktf/hcl2json, deprecated with CDK for Terraform).
 * Chosen over hcl2-parser because it reports `file:line,col: summary; detail` for invalid input,
 * where hcl2-parser returns `[null, {}]` with no message at all.
 */
/**
 * `importParser` loads the package: `() => import("@cdktn/hcl2json")` where `import()` works. It is
 * a parameter because it does not in the bundled CLI (see cli-entry.ts), which lends its own.
 */
export function createHclValidator(importParser: HclParserLoader): HclValidator & { warmUp(): Promise<void> } {
  // Imported on first use: the package inflates and compiles its WASM at import time (~300 ms),
  // which a CLI run that validates nothing should not wait for.
  let parser: Promise<typeof Hcl2Json> | null = null;
  const loadParser = () => (parser ??= importParser());
  // Each push of a pull request changes a few files, but its diff repeats all the earlier ones:
  // a server checks each (path, content) once. Bounded: cleared when it grows large.
  const checked = new Map<string, string | null>();
  return {
    async validate(path, text) {
      const key = `${path}\0${createHash("sha1").update(text).digest("hex")}`;
      const known = checked.get(key);
      if (known !== undefined) return known;
      const { parse } = await loadParser();
      let result: string | null = null;
      try {
        await parse(path, text);
      } catch (err) {
        result = formatParseError(path, err);
      }
      if (checked.size > 50_000) checked.clear();
      checked.set(key, result);
      return result;
    },
    /** Loading the WASM module costs ~300 ms once per process: start it early, in parallel with git. */
    async warmUp() {
      const { parse } = await loadParser();
      await parse("warmup.tf", "").catch(() => undefined);
    },
  };
}

/** "parse config: [bad.tf:2,7-3,1: Invalid expression; Expected …]" → "bad.tf:2,7-3,1: Invalid expression; Expected …". */
export function formatParseError(path: string, err: unknown): string {
  const raw = err instanceof Error ? err.message : String(err);
  const inner = /\[(.*)\]\s*$/s.exec(raw)?.[1] ?? raw;
  return inner.includes(path) ? inner.trim() : `${path}: ${inner.trim()}`;
}
