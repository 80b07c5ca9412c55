import { describe, expect, it } from "vitest";
import { createDriftIssueListener } from "../../src/app/drift-issues.js";
import type { DriftCheckRecord } from "../../src/app/ports/drift-results.js";
import type { Logger } from "../../src/app/ports/logger.js";
import { driftIssueMarker } from "../../src/domain/drift/drift-issue-marker.js";
import { REPO, check, fakeIssueHost, follow, memoryDriftIssues } from "./drift-issue-fakes.js";

function setup(history: DriftCheckRecord[] = []) {
  const host = fakeIssueHost();
  const issues = memoryDriftIssues();
  const errors: string[] = [];
  const log: Logger = { info: () => undefined, warn: () => undefined, error: (_f, m) => errors.push(m) };
  const listener = createDriftIssueListener({ vcs: host, issues, drift: { history: () => Promise.resolve(history) }, log, webBaseUrl: "https://github.com" });
  return { host, issues, errors, listener };
}

describe("drift issue listener", () => {
  it("opens one issue for a drifted project, updates it in place, closes it with a comment once in sync", async () => {
    const { host, issues, listener } = setup();
    const first = check();
    await follow(listener, first);
    expect(host.issues).toHaveLength(1);
    expect(host.issues[0]).toMatchObject({ title: "Drift: network in acme/infra (1 to add, 2 to change, 0 to destroy)", labels: ["tfgate:drift"], state: "open" });
    expect(host.issues[0]?.body.split("\n")[0]).toBe(driftIssueMarker(REPO, "network"));
    const number = host.issues[0]?.number;

    const second = check({ counts: { add: 3, change: 0, destroy: 1, replace: 0 }, lockedBy: 7 });
    await follow(listener, second, first);
    expect(host.issues).toHaveLength(1);
    expect(host.issues[0]?.title).toBe("Drift: network in acme/infra (3 to add, 0 to change, 1 to destroy)");
    expect(host.issues[0]?.body).toContain("[#7](https://github.com/acme/infra/pull/7)");
    expect(issues.rows.get(`${REPO}:network`)).toMatchObject({ issue: number, open: true, shownState: "drifted", checkId: second.id });

    const synced = check({ state: "in-sync", sha: "b".repeat(40) });
    await follow(listener, synced, second);
    expect(host.issues[0]?.state).toBe("closed");
    expect(host.comments).toEqual([{ issue: number, body: expect.stringContaining(`Drift resolved at \`${"b".repeat(40)}\``) }]);
    expect(issues.rows.get(`${REPO}:network`)).toMatchObject({ open: false, shownState: "in-sync" });

    // Drift again later: a new issue (the closed one is history).
    await follow(listener, check(), synced);
    expect(host.issues.map((i) => i.state)).toEqual(["closed", "open"]);
  });

  it("an issue deleted on the host: the next drifted check opens a new one; in sync, it is forgotten without a comment", async () => {
    const { host, issues, listener } = setup();
    const first = check();
    await follow(listener, first);
    const deleted = host.issues[0]?.number as number;
    host.deleteIssue(deleted);
    const second = check();
    await follow(listener, second, first);
    expect(host.issues).toHaveLength(1);
    expect(host.issues[0]?.number).not.toBe(deleted);
    expect(issues.rows.get(`${REPO}:network`)).toMatchObject({ issue: host.issues[0]?.number, open: true });

    host.deleteIssue(host.issues[0]?.number as number);
    await follow(listener, check({ state: "in-sync" }), second);
    expect(host.comments).toEqual([]);
    expect(issues.rows.get(`${REPO}:network`)).toMatchObject({ open: false, shownState: "in-sync" });
  });

  it("overlapping checks of one project update its issue one at a time: one issue; an older check finishing late changes nothing", async () => {
    const { host, listener } = setup();
    const first = check();
    const second = check({ counts: { add: 5, change: 0, destroy: 0, replace: 0 } });
    await Promise.all([follow(listener, first), follow(listener, second, first)]);
    expect(host.issues).toHaveLength(1);
    expect(host.issues[0]?.title).toContain("(5 to add,");
    const late = check({ state: "in-sync" });
    const newest = check({ counts: { add: 6, change: 0, destroy: 0, replace: 0 } });
    await follow(listener, newest, second);
    // `late` started before `newest` but reports after it: the issue keeps showing `newest`.
    await follow(listener, { ...late, id: newest.id - 1 }, second);
    expect(host.issues[0]).toMatchObject({ state: "open", title: expect.stringContaining("(6 to add,") });
    expect(host.comments).toEqual([]);
  });

  it("an error opens nothing, but updates an open issue's body and keeps the last drift's diff and title", async () => {
    const drifted = check();
    const { host, listener } = setup([drifted]);
    await follow(listener, check({ state: "error", project: "dns" }));
    expect(host.issues).toEqual([]);

    await follow(listener, drifted);
    const title = host.issues[0]?.title;
    await follow(listener, check({ state: "error" }), drifted);
    expect(host.issues).toHaveLength(1);
    expect(host.issues[0]?.title).toBe(title);
    expect(host.issues[0]?.body).toContain("provider unreachable");
    expect(host.issues[0]?.body).toContain("hcloud_network");
  });

  it("crash between opening the issue and recording it: the issue found by its marker is updated, no duplicate", async () => {
    const { host, issues, listener } = setup();
    const first = check();
    await follow(listener, first);
    issues.rows.clear();
    await follow(listener, check(), first);
    expect(host.issues).toHaveLength(1);
    expect(issues.rows.get(`${REPO}:network`)?.issue).toBe(host.issues[0]?.number);
  });

  it("an issue carrying the marker that the app did not open is not adopted", async () => {
    const { host, listener } = setup();
    host.issues.push({ number: 5, title: "fake", body: driftIssueMarker(REPO, "network"), state: "open", byApp: false, labels: ["tfgate:drift"] });
    await follow(listener, check());
    expect(host.issues.map((i) => i.number)).toEqual([5, 101]);
  });

  it("in-sync after in-sync costs no API call; a failure is logged, never thrown", async () => {
    const { host, errors, listener } = setup();
    let calls = 0;
    host.findIssues = () => {
      calls++;
      return Promise.resolve([]);
    };
    await follow(listener, check({ state: "in-sync" }), check({ state: "in-sync" }));
    await follow(listener, check({ state: "in-sync" }));
    expect(calls).toBe(0);
    host.failNext(1);
    await expect(follow(listener, check())).resolves.toBeUndefined();
    expect(errors).toEqual(["could not update the project's drift issue"]);
  });
});
