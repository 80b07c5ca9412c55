import type * as Hcl2Json from "@cdktf/hcl2json";
import type { HclValidator } from "../../app/ports.js";


/**
 * Full HCL syntax check with @cdktf/hcl2json (HashiCorp's HCL parser compiled to WASM).
 * Chosen over hcl2-parser because it reports `file:line,col: summary; detail` for invalid input,
 * where hcl2-parser returns `[null, {}]` with no message at all.
 */
export function createHclValidator(): HclValidator & { warmUp(): Promise<void> } {
  // Imported on first use: the package inflates and compiles its WASM at import time (~200 ms),
  // which a CLI run that validates nothing should not wait for.
  let parser: Promise<typeof Hcl2Json> | null = null;
  const loadParser = () => (parser ??= import("@cdktf/hcl2json"));
  return {
    async validate(path, text) {
      const { parse } = await loadParser();
      try {
        await parse(path, text);
        return null;
      } catch (err) {
        return formatParseError(path, err);
      }
    },
    /** Loading the WASM module costs ~150 ms once per process: start it early, in parallel with git. */
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
