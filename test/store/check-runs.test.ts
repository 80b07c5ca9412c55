import { describe, expect, it } from "vitest";
import type { CheckRunRecord } from "../../src/app/ports/check-runs.js";
import { REPO, SHA_A, SHA_B, useTempStores } from "./store-fixtures.js";

const record = (patch: Partial<CheckRunRecord> = {}): CheckRunRecord => ({
  repo: REPO,
  pr: 7,
  headSha: SHA_A,
  name: "tfgate/plan: network",
  checkRunId: 101,
  signature: "s1",
  annotationsKey: "a1",
  completed: true,
  ...patch,
});

describe("check runs", () => {
  const t = useTempStores();

  it("finds a check again by commit and name, and by the host's id; a reopened store still knows it", async () => {
    const store = t.fresh();
    await store.checks.save(record());
    await store.checks.save(record({ name: "tfgate/plan", checkRunId: 102, completed: false }));
    await store.checks.save(record({ headSha: SHA_B, checkRunId: 103 }));
    expect((await store.checks.forHead(REPO, SHA_A)).map((r) => [r.name, r.checkRunId, r.completed])).toEqual([
      ["tfgate/plan", 102, false],
      ["tfgate/plan: network", 101, true],
    ]);
    store.close();
    const again = t.open({ path: store.path });
    expect(await again.checks.byId(REPO, 103)).toEqual(record({ headSha: SHA_B, checkRunId: 103 }));
    expect(await again.checks.byId(REPO, 999)).toBeNull();
    expect(await again.checks.byId("other/repo", 101)).toBeNull();
  });

  it("a new check run of the same name replaces the old one; a save without a PR keeps the one known", async () => {
    const store = t.fresh();
    await store.checks.save(record());
    await store.checks.save(record({ checkRunId: 201, signature: "s2", pr: null }));
    expect(await store.checks.byId(REPO, 101)).toBeNull();
    expect(await store.checks.byId(REPO, 201)).toMatchObject({ pr: 7, signature: "s2" });
  });

  it("refuses what is not a check record", async () => {
    const store = t.fresh();
    await expect(store.checks.save(record({ checkRunId: 0 }))).rejects.toMatchObject({ code: "invalid-input" });
    await expect(store.checks.save(record({ headSha: "main" }))).rejects.toMatchObject({ code: "invalid-input" });
    await expect(store.checks.save(record({ name: "" }))).rejects.toMatchObject({ code: "invalid-input" });
    expect(await store.checks.forHead(REPO, SHA_A)).toEqual([]);
  });
});
