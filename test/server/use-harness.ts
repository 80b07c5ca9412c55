import { afterAll, beforeAll, expect } from "vitest";
import { startHarness, type Harness } from "./server-harness.js";

/**
 * One server per test file: started before the tests, stopped after them, and the fake GitHub
 * must have seen no contract violation. Returns the harness (usable inside tests).
 */
export function useHarness(options: Parameters<typeof startHarness>[0] = {}): Harness {
  let current: Harness | undefined;
  beforeAll(async () => {
    current = await startHarness(options);
  });
  afterAll(async () => {
    if (!current) return;
    await current.cleanup();
    expect(current.fake.violations).toEqual([]);
  });
  return new Proxy({} as Harness, {
    get(_target, prop) {
      if (!current) throw new Error("the harness starts in beforeAll: use it inside tests");
      return current[prop as keyof Harness];
    },
  });
}
