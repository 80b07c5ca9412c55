import { describe, expect, it } from "vitest";
import { createRecentIds } from "../../src/adapters/http/recent-ids.js";

describe("recent ids", () => {
  it("knows each id once and forgets the oldest beyond its capacity", () => {
    const ids = createRecentIds(2);
    expect(ids.add("a")).toBe(true);
    expect(ids.add("a")).toBe(false);
    expect(ids.add("b")).toBe(true);
    expect(ids.add("c")).toBe(true);
    // "a" was the oldest: forgotten; "b" and "c" are still known.
    expect(ids.add("b")).toBe(false);
    expect(ids.add("c")).toBe(false);
    expect(ids.add("a")).toBe(true);
    // A forgotten id (its delivery was refused after all) is new again.
    ids.delete("a");
    expect(ids.add("a")).toBe(true);
  });
});
