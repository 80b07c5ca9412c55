import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhooks } from "@octokit/webhooks";
import { verify } from "@octokit/webhooks-methods";
import { describe, expect, it } from "vitest";
import { commentAdaptation, deliverWebhook, examplePayload, pullRequestAdaptation, signedWebhook } from "../../src/simulator/index.js";
import { HEAD_SHA, OWNER, REPO, seedPullRequest, useFakeGitHub } from "./simulator-fixture.js";

const SECRET = "It's a Secret to Everybody";

describe("signedWebhook", () => {
  it("signs like GitHub, so @octokit/webhooks accepts the delivery", async () => {
    const payload = examplePayload("pull_request", "opened", { repository: { owner: OWNER, name: REPO }, installationId: 42 });
    const { headers, body } = await signedWebhook("pull_request", payload, SECRET);
    expect(headers["x-github-event"]).toBe("pull_request");
    expect(headers["x-github-delivery"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(await verify(SECRET, body, headers["x-hub-signature-256"] ?? "")).toBe(true);
    expect(await verify("another secret", body, headers["x-hub-signature-256"] ?? "")).toBe(false);

    const webhooks = new Webhooks({ secret: SECRET });
    const seen: string[] = [];
    webhooks.on("pull_request.opened", ({ payload: p }) => {
      seen.push(`${p.repository.full_name}#${p.number} installation ${p.installation?.id}`);
    });
    await webhooks.verifyAndReceive({ id: headers["x-github-delivery"] ?? "", name: "pull_request", payload: body, signature: headers["x-hub-signature-256"] ?? "" });
    expect(seen).toEqual(["acme/infra#2 installation 42"]);
  });

  it("delivers over real HTTP", async () => {
    const received: { headers: Record<string, unknown>; body: string }[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
        res.writeHead(202).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`;
      const response = await deliverWebhook(url, "ping", { zen: "Keep it logically awesome." }, SECRET, { deliveryId: "delivery-1" });
      expect(response.status).toBe(202);
      expect(received[0]?.headers).toMatchObject({ "x-github-event": "ping", "x-github-delivery": "delivery-1" });
      expect(await verify(SECRET, received[0]?.body ?? "", String(received[0]?.headers["x-hub-signature-256"]))).toBe(true);
    } finally {
      server.close();
    }
  });
});

describe("examplePayload", () => {
  const fakes = useFakeGitHub();

  it("adapts a real pull_request payload: repository, PR, SHAs, refs, sender, draft, fork", () => {
    const payload = examplePayload("pull_request", "synchronize", {
      repository: { owner: OWNER, name: REPO, id: 77, cloneUrl: "file:///tmp/r.git", defaultBranch: "main" },
      installationId: 9,
      sender: { login: "mallory" },
      pullRequest: { number: 12, headSha: HEAD_SHA, headRef: "feature", baseRef: "main", baseSha: "b".repeat(40), draft: true, forkOwner: "mallory", user: { login: "mallory" } },
    });
    expect(payload.action).toBe("synchronize");
    expect(payload.number).toBe(12);
    expect(payload.repository).toMatchObject({ id: 77, full_name: "acme/infra", clone_url: "file:///tmp/r.git", default_branch: "main", owner: { login: "acme" } });
    expect(payload.installation?.id).toBe(9);
    expect(payload.sender.login).toBe("mallory");
    const pr = payload.pull_request;
    expect(pr).toMatchObject({ number: 12, draft: true, user: { login: "mallory" }, head: { sha: HEAD_SHA, ref: "feature", label: "mallory:feature" }, base: { ref: "main", sha: "b".repeat(40) } });
    expect(pr.head.repo?.full_name).toBe("mallory/infra");
    expect(pr.head.repo?.fork).toBe(true);
    expect(pr.base.repo.full_name).toBe("acme/infra");
    expect(pr.html_url).toBe("https://github.com/acme/infra/pull/12");
    expect(JSON.stringify(payload)).not.toMatch(/Hello-World/);
  });

  it("turns an issue_comment into a comment on the fake's pull request", async () => {
    const fake = await fakes.start();
    seedPullRequest(fake);
    const comment = fake.state.addComment({ owner: OWNER, repo: REPO, issueNumber: 1, user: "alice", body: "/plan network" });
    const payload = examplePayload("issue_comment", "created", commentAdaptation(fake.state, comment.id));
    expect(payload.issue).toMatchObject({ number: 1, pull_request: { url: expect.stringMatching(/\/repos\/acme\/infra\/pulls\/1$/) } });
    expect(payload.comment).toMatchObject({ id: comment.id, body: "/plan network", user: { login: "alice" } });
    expect(payload.sender.login).toBe("alice");
    expect(payload.installation?.id).toBe(fake.state.repo(OWNER, REPO)?.installationId);
  });

  it("takes a pull request's facts from the fake", async () => {
    const fake = await fakes.start();
    seedPullRequest(fake);
    fake.state.updatePullRequest(OWNER, REPO, 1, { draft: true });
    const payload = examplePayload("pull_request", "opened", pullRequestAdaptation(fake.state, OWNER, REPO, 1));
    expect(payload.pull_request).toMatchObject({ number: 1, draft: true, title: "Change the network", head: { sha: HEAD_SHA, ref: "change-network" } });
    expect(payload.pull_request.head.repo?.full_name).toBe("acme/infra");
  });

  it("says which example is missing", () => {
    expect(() => examplePayload("pull_request", "no-such-action")).toThrow(/no pull_request.no-such-action payload/);
  });
});
