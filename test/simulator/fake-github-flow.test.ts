import { App } from "@octokit/app";
import { describe, expect, it } from "vitest";
import { HEAD_SHA, NEW_HEAD_SHA, OWNER, REPO, RestOctokit, installationClient, seedPullRequest, useFakeGitHub } from "./simulator-fixture.js";

const where = { owner: OWNER, repo: REPO };

describe("fake GitHub, through @octokit/app", () => {
  const fakes = useFakeGitHub();

  it("authenticates as the app with a JWT and hands out installation tokens", async () => {
    const fake = await fakes.start({ appSlug: "tfgate-test" });
    const { repo } = seedPullRequest(fake);
    const app = new App({ appId: fake.appId, privateKey: fake.privateKey, Octokit: RestOctokit.defaults({ baseUrl: fake.url }) });

    const { data: me } = await app.octokit.request("GET /app");
    expect(me).toMatchObject({ id: fake.appId, slug: "tfgate-test" });
    const { data: installation } = await app.octokit.rest.apps.getRepoInstallation(where);
    expect(installation.id).toBe(repo.installationId);

    const octokit = await installationClient(fake, installation.id);
    const { data: pr } = await octokit.rest.pulls.get({ ...where, pull_number: 1 });
    expect(pr).toMatchObject({ number: 1, state: "open", draft: false, head: { sha: HEAD_SHA, ref: "change-network" }, base: { ref: "main" } });
    expect(pr.head.repo?.full_name).toBe(pr.base.repo.full_name);
    expect(pr.base.repo.clone_url).toBe("file:///tmp/acme-infra.git");
  });

  it("keeps one summary comment per PR: create, find, update, react, delete", async () => {
    const fake = await fakes.start();
    const { repo } = seedPullRequest(fake);
    const octokit = await installationClient(fake, repo.installationId);
    const user = fake.state.addComment({ owner: OWNER, repo: REPO, issueNumber: 1, user: "alice", body: "/plan" });

    const { data: created } = await octokit.rest.issues.createComment({ ...where, issue_number: 1, body: "<!-- tfgate -->\nplanning…" });
    expect(created.user?.login).toBe("tfgate[bot]");
    expect(created.performed_via_github_app?.id).toBe(fake.appId);
    await octokit.rest.issues.updateComment({ ...where, comment_id: created.id, body: "<!-- tfgate -->\ndone" });
    await octokit.rest.reactions.createForIssueComment({ ...where, comment_id: user.id, content: "eyes" });
    const again = await octokit.rest.reactions.createForIssueComment({ ...where, comment_id: user.id, content: "eyes" });
    expect(again.status).toBe(200);

    const { data: listed } = await octokit.rest.issues.listComments({ ...where, issue_number: 1, per_page: 100 });
    expect(listed.map((c) => [c.user?.login, c.body])).toEqual([
      ["alice", "/plan"],
      ["tfgate[bot]", "<!-- tfgate -->\ndone"],
    ]);
    expect(listed[0]?.reactions?.eyes).toBe(1);
    expect(fake.state.reactions(user.id).map((r) => [r.user, r.content])).toEqual([["tfgate[bot]", "eyes"]]);

    const deleted = await octokit.rest.issues.deleteComment({ ...where, comment_id: created.id });
    expect(deleted.status).toBe(204);
    expect(fake.state.comments(OWNER, REPO, 1).map((c) => c.id)).toEqual([user.id]);
  });

  it("records commit statuses and combines the latest per context", async () => {
    const fake = await fakes.start();
    const { repo } = seedPullRequest(fake);
    const octokit = await installationClient(fake, repo.installationId);
    const post = (context: string, state: "pending" | "success" | "failure") =>
      octokit.rest.repos.createCommitStatus({ ...where, sha: HEAD_SHA, context, state, description: `${context} ${state}`, target_url: "https://tfgate.example/runs/1" });

    await post("tfgate/plan: network", "pending");
    await post("tfgate/plan: network", "success");
    await post("tfgate/plan", "pending");
    const { data: pending } = await octokit.rest.repos.getCombinedStatusForRef({ ...where, ref: HEAD_SHA });
    expect(pending.state).toBe("pending");
    await post("tfgate/plan", "success");
    const { data: combined } = await octokit.rest.repos.getCombinedStatusForRef({ ...where, ref: "change-network" });
    expect(combined).toMatchObject({ state: "success", sha: HEAD_SHA, total_count: 2 });
    expect(combined.statuses.map((s) => [s.context, s.state])).toEqual([
      ["tfgate/plan", "success"],
      ["tfgate/plan: network", "success"],
    ]);
    expect(fake.state.statuses(HEAD_SHA)).toHaveLength(4);
  });

  it("answers what the apply gate asks: reviews, permissions, team membership, merge", async () => {
    const fake = await fakes.start();
    const { repo } = seedPullRequest(fake);
    const { state } = fake;
    state.setPermission(OWNER, REPO, "alice", "write");
    state.setPermission(OWNER, REPO, "reader", "read");
    state.addTeamMember(OWNER, "sre", "bob");
    state.addTeamMember(OWNER, "sre", "carol", { state: "pending" });
    const old = state.addReview({ owner: OWNER, repo: REPO, pullNumber: 1, user: "bob", state: "APPROVED" });
    state.pushToPullRequest(OWNER, REPO, 1, NEW_HEAD_SHA);
    state.addReview({ owner: OWNER, repo: REPO, pullNumber: 1, user: "bob", state: "APPROVED" });
    state.dismissReview(OWNER, REPO, 1, old.id);
    const octokit = await installationClient(fake, repo.installationId);

    const { data: reviews } = await octokit.rest.pulls.listReviews({ ...where, pull_number: 1 });
    expect(reviews.map((r) => [r.user?.login, r.state, r.commit_id])).toEqual([
      ["bob", "DISMISSED", HEAD_SHA],
      ["bob", "APPROVED", NEW_HEAD_SHA],
    ]);
    const permission = async (username: string) => (await octokit.rest.repos.getCollaboratorPermissionLevel({ ...where, username })).data;
    expect(await permission("alice")).toMatchObject({ permission: "write", role_name: "write" });
    expect(await permission("reader")).toMatchObject({ permission: "read" });
    expect(await permission("bob")).toMatchObject({ permission: "none" });
    const { data: bob } = await octokit.rest.teams.getMembershipForUserInOrg({ org: OWNER, team_slug: "sre", username: "bob" });
    expect(bob).toMatchObject({ state: "active", role: "member" });
    const { data: carol } = await octokit.rest.teams.getMembershipForUserInOrg({ org: OWNER, team_slug: "sre", username: "carol" });
    expect(carol.state).toBe("pending");
    await expect(octokit.rest.teams.getMembershipForUserInOrg({ org: OWNER, team_slug: "sre", username: "alice" })).rejects.toMatchObject({ status: 404 });

    await expect(octokit.rest.pulls.merge({ ...where, pull_number: 1, sha: HEAD_SHA })).rejects.toMatchObject({ status: 409 });
    const { data: merged } = await octokit.rest.pulls.merge({ ...where, pull_number: 1, sha: NEW_HEAD_SHA });
    expect(merged.merged).toBe(true);
    expect(state.pullRequest(OWNER, REPO, 1)).toMatchObject({ state: "closed", merged: true, mergedBy: "tfgate[bot]" });
    const { data: after } = await octokit.rest.pulls.get({ ...where, pull_number: 1 });
    expect(after).toMatchObject({ state: "closed", merged: true, merge_commit_sha: merged.sha });
  });

  it("shows forks, drafts and conflicts as GitHub does", async () => {
    const fake = await fakes.start();
    const repo = fake.state.addRepo({ owner: OWNER, name: REPO, cloneUrl: "file:///tmp/x.git", private: false });
    fake.state.addPullRequest({ owner: OWNER, repo: REPO, user: "mallory", headSha: HEAD_SHA, headRef: "main", headRepoFullName: "mallory/infra", draft: true, mergeable: false });
    const octokit = await installationClient(fake, repo.installationId);

    const { data: pr } = await octokit.rest.pulls.get({ ...where, pull_number: 1 });
    expect(pr.head.repo?.full_name).toBe("mallory/infra");
    expect(pr.head.repo?.fork).toBe(true);
    expect(pr.base.repo.full_name).toBe("acme/infra");
    expect(pr).toMatchObject({ draft: true, mergeable: false, mergeable_state: "draft", head: { label: "mallory:main" } });
    await expect(octokit.rest.pulls.merge({ ...where, pull_number: 1 })).rejects.toMatchObject({ status: 405 });
  });
});
