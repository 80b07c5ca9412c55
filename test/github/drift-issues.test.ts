import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGitHubApp } from "../../src/adapters/github/github-app.js";
import type { OpenStore } from "../../src/adapters/store/open-store.js";
import { createDriftIssueListener } from "../../src/app/drift-issues.js";
import { silentLogger } from "../../src/app/ports/logger.js";
import type { RepoRef, Vcs } from "../../src/app/ports/vcs.js";
import { DRIFT_ISSUE_LABEL, driftIssueMarker } from "../../src/domain/drift/drift-issue-marker.js";
import { createFakeGitHub, examplePayload, type FakeGitHub } from "../../src/simulator/index.js";
import { commentAdaptation } from "../../src/simulator/payload-from-state.js";
import { check, follow } from "../drift/drift-issue-fakes.js";
import { openTestStore } from "../helpers/open-test-store.js";

/** Issues through the GitHub adapter against the fake GitHub (every call checked against GitHub's OpenAPI). */
describe("GitHub App adapter: issues", () => {
  let fake: FakeGitHub;
  let github: Vcs;
  let repo: RepoRef;
  let store: OpenStore;
  let dir: string;

  beforeAll(async () => {
    fake = await createFakeGitHub();
    fake.state.addRepo({ owner: "acme", name: "infra", cloneUrl: "file:///nowhere" });
    fake.state.addPullRequest({ owner: "acme", repo: "infra", user: "alice", headSha: "c".repeat(40), headRef: "feature" });
    github = createGitHubApp({ appId: String(fake.appId), privateKey: fake.privateKey, baseUrl: fake.url, retryBaseSeconds: 0.01 });
    repo = await github.resolveRepo("acme", "infra");
    dir = mkdtempSync(join(tmpdir(), "tfgate-drift-issues-"));
    store = openTestStore(dir);
  });
  afterAll(async () => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
    await fake.close();
    expect(fake.violations).toEqual([]);
  });

  it("creates, finds, comments on and closes an issue; pull requests and others' issues are not found", async () => {
    const number = await github.createIssue(repo, { title: "Drift: a", body: `${driftIssueMarker("acme/infra", "a")}\nbody`, labels: [DRIFT_ISSUE_LABEL] });
    expect(fake.state.pullRequest("acme", "infra", number)).toBeUndefined();
    expect(fake.state.issue("acme", "infra", number)).toMatchObject({ labels: [DRIFT_ISSUE_LABEL], viaApp: true, user: fake.state.botLogin });
    fake.state.addIssue({ owner: "acme", repo: "infra", title: "mine", body: driftIssueMarker("acme/infra", "a"), user: "mallory", labels: [DRIFT_ISSUE_LABEL] });
    expect(await github.findIssues(repo, DRIFT_ISSUE_LABEL)).toEqual([{ number, title: "Drift: a", body: expect.stringContaining("body"), state: "open", byApp: true }]);

    expect(await github.updateIssue(repo, number, { title: "Drift: a (2 to add)", body: "new body" })).toEqual({ status: "updated" });
    // An issue that is not there (deleted by an admin) is an answer, not a failure.
    expect(await github.updateIssue(repo, 9999, { state: "closed" })).toEqual({ status: "gone" });
    const commentId = await github.createComment(repo, number, "resolved");
    await github.updateIssue(repo, number, { state: "closed" });
    expect(fake.state.issue("acme", "infra", number)).toMatchObject({ title: "Drift: a (2 to add)", body: "new body", state: "closed", stateReason: "completed" });
    expect(await github.findIssues(repo, DRIFT_ISSUE_LABEL)).toEqual([]);
    expect((await github.comments(repo, number)).map((c) => c.body)).toEqual(["resolved"]);

    // A comment on a plain issue arrives without `pull_request`: that is how tfgate tells them apart.
    const human = fake.state.addComment({ owner: "acme", repo: "infra", issueNumber: number, user: "alice", body: "/plan" });
    const payload = examplePayload("issue_comment", "created", commentAdaptation(fake.state, human.id)) as unknown as { issue: Record<string, unknown> };
    expect(payload.issue.number).toBe(number);
    expect("pull_request" in payload.issue).toBe(false);
    expect(commentId).toBeGreaterThan(0);
  });

  it("crash after opening the issue, before storing its number: the listener finds it by its marker, no duplicate", async () => {
    const listener = createDriftIssueListener({ vcs: github, issues: store.driftIssues, drift: store.drift, log: silentLogger });
    const orphan = fake.state.addIssue({ owner: "acme", repo: "infra", title: "Drift: network", body: `${driftIssueMarker("acme/infra", "network")}\nold`, user: fake.state.botLogin, labels: [DRIFT_ISSUE_LABEL], viaApp: true });
    expect(await store.driftIssues.forProject("acme/infra", "network")).toBeNull();
    const record = check({ project: "network" });
    await follow(listener, record);
    const drift = fake.state.issues("acme", "infra").filter((i) => i.labels.includes(DRIFT_ISSUE_LABEL) && i.state === "open" && i.viaApp);
    expect(drift.map((i) => i.number)).toEqual([orphan.number]);
    expect(drift[0]?.title).toBe("Drift: network in acme/infra (1 to add, 2 to change, 0 to destroy)");
    expect(await store.driftIssues.forProject("acme/infra", "network")).toMatchObject({ issue: orphan.number, open: true, shownState: "drifted", checkId: record.id });
  });
});
