import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openTestStore } from "../helpers/open-test-store.js";
import { releaseLock } from "../../src/app/release-lock.js";

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined } as never;

describe("releasing a lock from the web UI", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const open = () => {
    const dir = mkdtempSync(join(tmpdir(), "tfgate-release-"));
    dirs.push(dir);
    return openTestStore(dir);
  };

  it("keeps the lock when its audit record cannot be written", async () => {
    const store = open();
    try {
      await store.locks.acquire("acme/infra", "web", 3);
      const failingAudit = { ...store.audit, append: () => Promise.reject(new Error("disk full")) };
      await expect(releaseLock({ locks: store.locks, audit: failingAudit, log: silent, notify: async () => undefined }, { repo: "acme/infra", project: "web", pr: 3, actor: "ops", via: "web-ui" })).rejects.toThrow("disk full");
      expect((await store.locks.list()).map((l) => l.pr)).toEqual([3]);
    } finally {
      store.close();
    }
  });

  it("does not wait for GitHub, and a failing notice changes nothing", async () => {
    const store = open();
    try {
      await store.locks.acquire("acme/infra", "web", 3);
      const result = await releaseLock(
        { locks: store.locks, audit: store.audit, log: silent, notify: () => new Promise((_, reject) => setTimeout(() => reject(new Error("GitHub is down")), 50)) },
        { repo: "acme/infra", project: "web", pr: 3, actor: "ops", via: "web-ui" },
      );
      expect(result.status).toBe("released");
      expect(await store.locks.list()).toEqual([]);
      expect((await store.audit.list()).map((a) => a.action)).toEqual(["unlock"]);
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      store.close();
    }
  });
});
