import { describe, expect, it } from "vitest";
import { REPO, fakeClock, useTempStores } from "./store-fixtures.js";

describe("drift issues", () => {
  const t = useTempStores();

  it("one issue per project, found by project and by number; a new issue replaces the closed one", async () => {
    const clock = fakeClock();
    const store = t.fresh({ clock });
    expect(await store.driftIssues.forProject(REPO, "network")).toBeNull();
    const first = await store.driftIssues.record({ repo: REPO, project: "network", issue: 12, open: true, shownState: "drifted", checkId: 3 });
    expect(first).toEqual({ repo: REPO, project: "network", issue: 12, open: true, shownState: "drifted", checkId: 3, updatedAt: clock.now() });
    expect(await store.driftIssues.forIssue(REPO, 12)).toEqual(first);
    expect(await store.driftIssues.forIssue("acme/other", 12)).toBeNull();

    clock.advance(1000);
    await store.driftIssues.record({ ...first, open: false, shownState: "in-sync", checkId: 4 });
    expect(await store.driftIssues.forProject(REPO, "network")).toMatchObject({ issue: 12, open: false, shownState: "in-sync", checkId: 4 });

    await store.driftIssues.record({ repo: REPO, project: "network", issue: 15, open: true, shownState: "drifted", checkId: null });
    expect(await store.driftIssues.forIssue(REPO, 12)).toBeNull();
    expect(await store.driftIssues.forIssue(REPO, 15)).toMatchObject({ project: "network", checkId: null });
  });

  it("survives reopening the store; refuses what is not an issue number or a project name", async () => {
    const store = t.fresh();
    await store.driftIssues.record({ repo: REPO, project: "dns", issue: 3, open: true, shownState: "error", checkId: 1 });
    const again = t.open({ path: store.path });
    expect(await again.driftIssues.forProject(REPO, "dns")).toMatchObject({ issue: 3, shownState: "error" });
    await expect(store.driftIssues.record({ repo: REPO, project: "../x", issue: 3, open: true, shownState: "error", checkId: 1 })).rejects.toMatchObject({ code: "invalid-input" });
    await expect(store.driftIssues.record({ repo: REPO, project: "dns", issue: 0, open: true, shownState: "error", checkId: 1 })).rejects.toMatchObject({ code: "invalid-input" });
    await expect(store.driftIssues.forIssue(REPO, -1)).rejects.toMatchObject({ code: "invalid-input" });
  });
});
