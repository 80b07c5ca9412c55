import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGitHubApp } from "../../src/adapters/github/github-app.js";
import type { Vcs, RepoRef } from "../../src/app/ports/vcs.js";
import { createFakeGitHub, type FakeGitHub } from "../../src/simulator/index.js";

const HEAD = "c".repeat(40);

/** The GitHub App adapter against the fake GitHub (every call checked against GitHub's OpenAPI). */
describe("GitHub App adapter", () => {
  let fake: FakeGitHub;
  let github: Vcs;
  let repo: RepoRef;
  let pr: number;

  beforeAll(async () => {
    fake = await createFakeGitHub();
    fake.state.addRepo({ owner: "acme", name: "infra", cloneUrl: "file:///nowhere" });
    fake.state.setPermission("acme", "infra", "alice", "write");
    pr = fake.state.addPullRequest({ owner: "acme", repo: "infra", user: "alice", headSha: HEAD, headRef: "feature" }).number;
    fake.state.addTeamMember("acme", "sre", "sam");
    fake.state.addTeamMember("acme", "sre", "pat", { state: "pending" });
    github = createGitHubApp({ appId: String(fake.appId), privateKey: fake.privateKey, baseUrl: fake.url, retryBaseSeconds: 0.01 });
    repo = await github.resolveRepo("acme", "infra");
  });
  afterAll(async () => {
    await fake.close();
    expect(fake.violations).toEqual([]);
  });

  it("reads a pull request, permissions and reviews", async () => {
    expect(await github.changeRequest(repo, pr)).toMatchObject({ number: pr, author: "alice", headSha: HEAD, fromFork: false, draft: false, state: "open" });
    expect(await github.permission(repo, "alice")).toBe("write");
    expect(await github.permission(repo, "nobody")).toBe("none");
    fake.state.addReview({ owner: "acme", repo: "infra", pullNumber: pr, user: "sam", state: "APPROVED" });
    const reviews = await github.reviews(repo, pr);
    expect(reviews).toEqual([expect.objectContaining({ reviewer: "sam", state: "APPROVED", commitId: HEAD })]);
  });

  it("checks current team membership: active counts, a pending invitation does not", async () => {
    expect(await github.teamMember(repo, "acme/sre", "sam")).toBe(true);
    expect(await github.teamMember(repo, "acme/sre", "pat")).toBe(false);
    expect(await github.teamMember(repo, "acme/sre", "bob")).toBe(false);
    await expect(github.teamMember(repo, "sre", "sam")).rejects.toThrow("must be written org/team");
  });

  it("comments, reacts and sets statuses, retrying a 502", async () => {
    fake.faults.failNext("issues/create-comment", 1, { kind: "server-error", status: 502 });
    const id = await github.createComment(repo, pr, "hello");
    await github.updateComment(repo, id, "hello again");
    await github.react(repo, id, "eyes");
    await github.setStatus(repo, HEAD, { context: "tfgate/plan", state: "success", description: "x".repeat(200) });
    expect(fake.state.comments("acme", "infra", pr).map((c) => c.body)).toEqual(["hello again"]);
    expect(fake.state.reactions(id).map((r) => r.content)).toEqual(["eyes"]);
    expect(fake.state.latestStatuses("acme", "infra", HEAD)[0]?.description).toHaveLength(140);
    expect((await github.comments(repo, pr)).map((c) => c.byApp)).toEqual([true]);
  });

  it("creates and updates check runs, sending 120 annotations 50 at a time", async () => {
    const annotations = Array.from({ length: 120 }, (_, i) => ({ path: "projects/a/main.tf", line: i + 1, level: "failure" as const, title: "tags", message: `finding ${i}` }));
    const report = { name: "tfgate/plan: a", state: { status: "completed", conclusion: "failure" } as const, title: "+1 ~0 −0 ±0", summary: "## a", annotations };
    const id = await github.createCheck(repo, HEAD, report);
    const run = fake.state.checkRun(id);
    // One create and two updates: GitHub refuses more than 50 annotations per request.
    expect(run).toMatchObject({ name: "tfgate/plan: a", status: "completed", conclusion: "failure", title: "+1 ~0 −0 ±0", summary: "## a", writes: 3 });
    expect(run?.annotations.map((a) => a.startLine)).toEqual(annotations.map((a) => a.line));
    expect(run?.annotations[0]).toMatchObject({ path: "projects/a/main.tf", level: "failure", message: "finding 0" });

    await github.updateCheck(repo, id, { ...report, state: { status: "in_progress" }, title: "planning", annotations: [] });
    expect(fake.state.checkRun(id)).toMatchObject({ status: "in_progress", conclusion: null, title: "planning", writes: 4 });
  });

  it("cannot update another app's check run (GitHub answers 403)", async () => {
    const foreign = fake.state.addCheckRun({ owner: "acme", repo: "infra", headSha: HEAD, name: "ci", appId: 999, status: "completed", conclusion: "success" });
    await expect(github.updateCheck(repo, foreign.id, { name: "ci", state: { status: "in_progress" }, title: "x", summary: "x", annotations: [] })).rejects.toMatchObject({ status: 403 });
    expect(fake.state.checkRun(foreign.id)).toMatchObject({ status: "completed", writes: 1 });
  });
});
