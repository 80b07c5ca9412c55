import { parse } from "@cdktf/hcl2json";
import type { HclValidator } from "../../app/ports.js";

/**
 * Full HCL syntax check with @cdktf/hcl2json (HashiCorp's HCL parser compiled to WASM).
 * Chosen over hcl2-parser because it reports `file:line,col: summary; detail` for invalid input,
 * where hcl2-parser returns `[null, {}]` with no message at all.
 */
export function createHclValidator(): HclValidator & { warmUp(): Promise<void> } {
  return {
    async validate(path, text) {
      try {
        await parse(path, text);
        return null;
      } catch (err) {
        return formatParseError(path, err);
      }
    },
    /** Loading the WASM module costs ~150 ms once per process: start it early, in parallel with git. */
    async warmUp() {
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
