import { existsSync } from "node:fs";
import { dirname, join } from "node:path";

/** The repository root, found from this file whether it runs from source or compiled (.bench-build/). */
export function repoRoot(from: string = import.meta.dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "scripts", "toolchain.sh"))) return dir;
    if (dirname(dir) === dir) throw new Error(`no tfgate checkout above ${from}`);
  }
}
