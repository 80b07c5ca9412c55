import { App } from "@octokit/app";
import { describe, expect, it } from "vitest";
import { COMMENT_BODY_LIMIT, FAKE_GITHUB_OPERATIONS, defaultOpenApiPath, loadOpenApiContract } from "../../src/simulator/index.js";
import { OWNER, REPO, RestOctokit, failureOf, installationClient, newAppKey, rawClient, seedPullRequest, statusOf, untypedRequest, useFakeGitHub } from "./simulator-fixture.js";

const where = { owner: OWNER, repo: REPO };

describe("fake GitHub: the OpenAPI contract", () => {
  const fakes = useFakeGitHub();

  it("reports a route GitHub does not have, and answers 404", async () => {
    const fake = await fakes.start();
    seedPullRequest(fake);
    const octokit = await installationClient(fake, fake.state.repo(OWNER, REPO)?.installationId ?? 0);
    expect(await statusOf(octokit.request("GET /repos/{owner}/{repo}/no-such-thing", where))).toBe(404);
    expect(await statusOf(octokit.request("GET /repos/{owner}/{repo}/pulls/{pull_number}/files", { ...where, pull_number: 1 }))).toBe(404);
    expect(fake.takeViolations()).toMatchObject([
      { kind: "unknown-route", method: "GET", path: "/repos/acme/infra/no-such-thing" },
      { kind: "unimplemented-operation", operationId: "pulls/list-files" },
    ]);
  });

  it("reports a request body that breaks the schema, and refuses it with 422", async () => {
    const fake = await fakes.start();
    const { repo } = seedPullRequest(fake);
    const octokit = await installationClient(fake, repo.installationId);
    const request = untypedRequest(octokit);
    const bad = request("POST /repos/{owner}/{repo}/statuses/{sha}", { ...where, sha: "1".repeat(40), state: "done", contxt: "tfgate/plan" });
    expect(await statusOf(bad)).toBe(422);
    const missing = request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", { ...where, issue_number: 1 });
    expect(await statusOf(missing)).toBe(422);
    const violations = fake.takeViolations();
    expect(violations).toMatchObject([
      { kind: "invalid-request", direction: "request", operationId: "repos/create-commit-status", location: "body" },
      { kind: "invalid-request", operationId: "issues/create-comment", location: "body" },
    ]);
    const messages = violations.flatMap((v) => ("errors" in v ? v.errors.map((e) => `${e.instancePath} ${e.message}`) : []));
    expect(messages).toEqual(
      expect.arrayContaining([expect.stringMatching(/^\/state must be equal to one of the allowed values/), expect.stringMatching(/additionalProperty":"contxt"/), " is required"]),
    );
    expect(fake.state.statuses("1".repeat(40))).toEqual([]);
  });

  it("reports invalid path and query parameters", async () => {
    const fake = await fakes.start();
    const { repo } = seedPullRequest(fake);
    const octokit = await installationClient(fake, repo.installationId);
    const request = untypedRequest(octokit);
    expect(await statusOf(request("GET /repos/{owner}/{repo}/pulls/{pull_number}", { ...where, pull_number: "one" }))).toBe(404);
    expect(await statusOf(request("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", { ...where, issue_number: 1, per_pgae: 100 }))).toBe(422);
    expect(fake.takeViolations()).toMatchObject([
      { kind: "invalid-request", operationId: "pulls/get", location: "path" },
      { kind: "invalid-request", operationId: "issues/list-comments", location: "query" },
    ]);
  });

  it("checks response bodies against the description (an incomplete one is a violation)", async () => {
    const contract = await loadOpenApiContract({ specPath: defaultOpenApiPath(), operationIds: FAKE_GITHUB_OPERATIONS });
    const exchange = { operationId: "pulls/get", method: "GET", path: "/repos/a/b/pulls/1" };
    expect(contract.checkResponse({ ...exchange, status: 200, body: { number: 1, state: "open" } })).toMatchObject({ kind: "invalid-response", direction: "response", status: 200 });
    expect(contract.checkResponse({ ...exchange, status: 201, body: {} })).toMatchObject({ kind: "undocumented-status" });
    expect(contract.checkResponse({ ...exchange, status: 500, body: { message: "Server Error" } })).toBeUndefined();
    const deleted = { operationId: "issues/delete-comment", method: "DELETE", path: "/repos/a/b/issues/comments/1", status: 204 };
    expect(contract.checkResponse({ ...deleted, body: undefined })).toBeUndefined();
    expect(contract.checkResponse({ ...deleted, body: { id: 1 } })).toMatchObject({ kind: "invalid-response" });
  });

  it("refuses comment bodies over GitHub's 65,536 characters with GitHub's 422", async () => {
    const fake = await fakes.start();
    const { repo } = seedPullRequest(fake);
    const octokit = await installationClient(fake, repo.installationId);
    const atLimit = "x".repeat(COMMENT_BODY_LIMIT - 2) + "🙂";
    const { data: ok } = await octokit.rest.issues.createComment({ ...where, issue_number: 1, body: atLimit });
    expect(ok.body).toBe(atLimit);

    const refused = await failureOf(octokit.rest.issues.createComment({ ...where, issue_number: 1, body: "x".repeat(COMMENT_BODY_LIMIT + 1) }));
    expect(refused).toMatchObject({
      status: 422,
      response: { data: { message: "Validation Failed", errors: [{ resource: "IssueComment", field: "data", message: "Body is too long (maximum is 65536 characters)" }] } },
    });
    expect(await statusOf(octokit.rest.issues.updateComment({ ...where, comment_id: ok.id, body: "y".repeat(COMMENT_BODY_LIMIT + 1) }))).toBe(422);
    expect(fake.state.comments(OWNER, REPO, 1).map((c) => c.body)).toEqual([atLimit]);
  });

  it("paginates comments with GitHub's Link header", async () => {
    const fake = await fakes.start();
    const { repo } = seedPullRequest(fake);
    for (let i = 1; i <= 5; i++) fake.state.addComment({ owner: OWNER, repo: REPO, issueNumber: 1, user: "alice", body: `comment ${i}` });
    const octokit = await installationClient(fake, repo.installationId);

    const first = await octokit.rest.issues.listComments({ ...where, issue_number: 1, per_page: 2 });
    expect(first.data.map((c) => c.body)).toEqual(["comment 1", "comment 2"]);
    expect(first.headers.link).toBe(
      `<${fake.url}/repos/acme/infra/issues/1/comments?per_page=2&page=2>; rel="next", <${fake.url}/repos/acme/infra/issues/1/comments?per_page=2&page=3>; rel="last"`,
    );
    const bodies: string[] = [];
    let next: string | undefined = `${fake.url}/repos/acme/infra/issues/1/comments?per_page=2`;
    while (next) {
      const page: { data: { body?: string }[]; headers: { link?: string } } = await octokit.request(`GET ${next}`);
      bodies.push(...page.data.map((c) => c.body ?? ""));
      next = /<([^>]+)>; rel="next"/.exec(page.headers.link ?? "")?.[1];
    }
    expect(bodies).toEqual(["comment 1", "comment 2", "comment 3", "comment 4", "comment 5"]);
    const last = await octokit.rest.issues.listComments({ ...where, issue_number: 1, per_page: 2, page: 3 });
    expect(last.headers.link).toContain('rel="prev"');
    expect(last.headers.link).not.toContain('rel="next"');
  });
});

describe("fake GitHub: authentication", () => {
  const fakes = useFakeGitHub();

  it("requires an installation token on repository endpoints", async () => {
    const fake = await fakes.start();
    seedPullRequest(fake);
    expect(await statusOf(rawClient(fake).rest.pulls.get({ ...where, pull_number: 1 }))).toBe(401);
    expect(await statusOf(rawClient(fake, "ghs_made_up").rest.pulls.get({ ...where, pull_number: 1 }))).toBe(401);
    expect(fake.requests.map((r) => r.note)).toEqual(["no Authorization header", "not an installation token this fake issued"]);
  });

  it("refuses a JWT signed with another key, and expired tokens", async () => {
    const fake = await fakes.start();
    const { repo } = seedPullRequest(fake);
    const impostor = new App({ appId: fake.appId, privateKey: await newAppKey(), Octokit: RestOctokit.defaults({ baseUrl: fake.url }) });
    // Installation Octokits fetch their token lazily, on the first request.
    const stolen = await impostor.getInstallationOctokit(repo.installationId);
    expect(await statusOf(stolen.request("GET /repos/{owner}/{repo}/pulls/{pull_number}", { ...where, pull_number: 1 }))).toBe(401);
    expect(fake.requests.at(-1)?.note).toBe("signature does not match the app's public key");

    const { data } = await new App({ appId: fake.appId, privateKey: fake.privateKey, Octokit: RestOctokit.defaults({ baseUrl: fake.url }) }).octokit.request(
      "POST /app/installations/{installation_id}/access_tokens",
      { installation_id: repo.installationId },
    );
    const client = rawClient(fake, data.token);
    expect((await client.rest.pulls.get({ ...where, pull_number: 1 })).status).toBe(200);
    fake.state.expireTokens();
    expect(await statusOf(client.rest.pulls.get({ ...where, pull_number: 1 }))).toBe(401);
  });

  it("hides repositories of other installations", async () => {
    const fake = await fakes.start();
    seedPullRequest(fake);
    const elsewhere = fake.state.addRepo({ owner: "other-org", name: "infra", cloneUrl: "file:///tmp/o.git" });
    const octokit = await installationClient(fake, elsewhere.installationId);
    expect(await statusOf(octokit.rest.pulls.get({ ...where, pull_number: 1 }))).toBe(404);
    expect(await statusOf(octokit.rest.teams.getMembershipForUserInOrg({ org: OWNER, team_slug: "sre", username: "bob" }))).toBe(404);
  });
});

describe("fake GitHub: fault injection", () => {
  const fakes = useFakeGitHub();

  it("fails the next calls of an operation with 5xx or a secondary rate limit", async () => {
    const fake = await fakes.start();
    const { repo } = seedPullRequest(fake);
    const octokit = await installationClient(fake, repo.installationId);
    fake.faults.failNext("issues/create-comment", 1, { kind: "server-error" });
    fake.faults.failNext("issues/create-comment", 1, { kind: "secondary-rate-limit", retryAfterSeconds: 7 });
    const comment = () => octokit.rest.issues.createComment({ ...where, issue_number: 1, body: "hello" });

    expect(await statusOf(comment())).toBe(500);
    const limited = await failureOf(comment());
    expect(limited.status).toBe(403);
    expect(limited.message).toMatch(/secondary rate/);
    expect(limited.response.headers["retry-after"]).toBe("7");
    expect((await comment()).status).toBe(201);
    expect(fake.state.comments(OWNER, REPO, 1)).toHaveLength(1);
    expect(fake.faults.pending()).toEqual({});
  });
});
