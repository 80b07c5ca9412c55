import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";

const dir = join(import.meta.dirname, "..", "fixtures", "render");

/**
 * Compares rendered Markdown with test/fixtures/render/<name>. `UPDATE_GOLDENS=1 npx vitest run
 * test/render` rewrites the files instead; review the diff before committing them.
 */
export function expectGolden(name: string, actual: string): void {
  const path = join(dir, name);
  if (process.env["UPDATE_GOLDENS"] === "1") {
    writeFileSync(path, actual);
    return;
  }
  if (!existsSync(path)) throw new Error(`golden file ${path} is missing: run UPDATE_GOLDENS=1 npx vitest run test/render`);
  expect(actual, `${name} differs from its golden file (UPDATE_GOLDENS=1 rewrites it)`).toBe(readFileSync(path, "utf8"));
}
