import { describe, expect, it } from "vitest";
import { sign } from "@octokit/webhooks-methods";
import { examplePayload } from "../../src/simulator/index.js";
import { pullRequestAdaptation } from "../../src/simulator/payload-from-state.js";
import { NAME, OWNER, SECRET } from "./server-harness.js";
import { useHarness } from "./use-harness.js";

/** A project whose plan text is far over GitHub's 65,536-character comment limit (~400 kB). */
const BIG = `resource "terraform_data" "big" {\n  count = 1200\n  input = "${"x".repeat(200)}-\${count.index}"\n}\n`;

describe("GitHub App: commands, refusals, robustness (real server, fake GitHub, real tofu)", () => {
  const h = useHarness();

  const comments = (n: number) => h.comments(n);
  const statuses = (sha: string) => h.statuses(sha);
  const replyTo = (n: number, user: string, text: string) => h.waitFor(`a reply containing "${text}"`, () => comments(n).find((c) => c.body.startsWith(`@${user}`) && c.body.includes(text)));

  it("does not plan a fork PR automatically, and plans it on a writer's /plan", async () => {
    const pr = await h.openPullRequest("from-fork", { "projects/ortensia/fork.tf": `resource "terraform_data" "fork" {}\n` }, { user: "mallory", fork: true });
    await h.waitFor("fork notice", () => comments(pr.number).find((c) => c.body.includes("comes from a fork")));
    expect(statuses(pr.sha)).toEqual({});
    const id = await h.comment(pr.number, "alice", "Looked at it.\n/plan");
    await h.waitFor("planned", () => statuses(pr.sha)["tfgate/plan"] === "success");
    expect(h.fake.state.reactions(id).map((r) => r.content)).toEqual(["eyes"]);
  });

  it("skips drafts", async () => {
    const pr = await h.openPullRequest("draft", { "projects/kirare/draft.tf": `resource "terraform_data" "d" {}\n` }, { draft: true });
    await new Promise((r) => setTimeout(r, 1500));
    expect(statuses(pr.sha)).toEqual({});
    expect(comments(pr.number)).toEqual([]);
  });

  it("refuses commands from a user without write access", async () => {
    const id = await h.comment(1, "rita", "/plan");
    const reply = await replyTo(1, "rita", "need write access");
    expect(reply.body).toContain("you have `read`");
    expect(h.fake.state.reactions(id).map((r) => r.content)).toEqual(["-1"]);
  });

  it("answers unknown commands, unknown projects, /help and /apply clearly", async () => {
    await h.comment(1, "alice", "/aply");
    expect((await replyTo(1, "alice", "is not a tfgate command")).body).toContain("did you mean `/apply`?");
    await h.comment(1, "alice", "/plan nope");
    expect((await replyTo(1, "alice", "Unknown project")).body).toContain("`kirare`, `ortensia`, `stella-maris`");
    // Commands inside code blocks and quotes are text; a blank line ends the quote.
    await h.comment(1, "alice", "```\n/plan\n```\n> /plan\n\n/help");
    await h.waitFor("the /help reply", () => comments(1).find((c) => c.body.startsWith("@alice **tfgate commands**")));
    await h.comment(1, "alice", "/apply");
    // No approver team is configured in this harness: apply is disabled, and says why.
    await replyTo(1, "alice", "apply is disabled: no approver team is configured");
    // The quoted and fenced /plan lines were not commands: no plan ran for PR 1 besides the fork /plan.
    expect(comments(1).filter((c) => c.body.startsWith("@alice")).length).toBe(4);
  });

  it("runs a redelivered webhook once; rejects bad signatures (401) and malformed JSON (400)", async () => {
    h.repo.git("switch", "-q", "-c", "dup", "main");
    h.repo.write({ "projects/stella-maris/dup.tf": `resource "terraform_data" "dup" {}\n` });
    const sha = h.repo.commit("dup");
    const pr = h.fake.state.addPullRequest({ owner: OWNER, repo: NAME, user: "alice", headSha: sha, headRef: "dup", baseSha: h.repo.git("rev-parse", "main") });
    const payload = examplePayload("pull_request", "opened", pullRequestAdaptation(h.fake.state, OWNER, NAME, pr.number));
    expect((await h.deliver("pull_request", payload, "delivery-1")).status).toBe(202);
    expect((await h.deliver("pull_request", payload, "delivery-1")).status).toBe(200);
    await h.waitFor("planned once", () => statuses(sha)["tfgate/plan"] === "success");
    expect(comments(pr.number).filter((c) => c.body.includes("<!-- tfgate:summary v1"))).toHaveLength(1);

    const body = JSON.stringify(payload);
    const bad = await fetch(`${h.url}/webhooks`, {
      method: "POST",
      body,
      headers: { "content-type": "application/json", "x-github-event": "pull_request", "x-github-delivery": "d-bad", "x-hub-signature-256": await sign("not-the-secret-at-all", body) },
    });
    expect(bad.status).toBe(401);
    const malformed = "{ this is not json";
    const r400 = await fetch(`${h.url}/webhooks`, {
      method: "POST",
      body: malformed,
      headers: { "content-type": "application/json", "x-github-event": "pull_request", "x-github-delivery": "d-json", "x-hub-signature-256": await sign(SECRET, malformed) },
    });
    expect(r400.status).toBe(400);
    expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
  });

  it("splits a 400 kB plan into several summary parts, each within GitHub's limit and balanced", async () => {
    const pr = await h.openPullRequest("big", { "projects/big/main.tf": BIG });
    await h.waitFor("big planned", () => statuses(pr.sha)["tfgate/plan"] === "success", 180_000);
    const parts = comments(pr.number).filter((c) => c.body.includes("<!-- tfgate:summary v1"));
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) {
      expect(p.body.length).toBeLessThanOrEqual(65_536);
      expect((p.body.match(/<details>/g) ?? []).length).toBe((p.body.match(/<\/details>/g) ?? []).length);
      const fences = p.body.split("\n").filter((l) => /^`{3,}/.test(l.trim())).length;
      expect(fences % 2).toBe(0);
    }
  });

  it("after a crash mid-plan, reports the interrupted job on the PR; /plan runs it again", async () => {
    const slow = `resource "terraform_data" "x" {\n  count = 20000\n  input = count.index\n}\n`;
    const pr = await h.openPullRequest("slow", { "projects/slow/main.tf": slow });
    await h.waitFor("planning", () => h.summary(pr.number).includes("🔄 planning"), 60_000);
    await h.stop("SIGKILL");
    await h.start();
    const notice = await h.waitFor("interrupted notice", () => comments(pr.number).find((c) => c.body.includes("interrupted")));
    expect(notice.body).toContain("`slow`");
    expect(notice.body).toContain("/plan slow");
    expect(statuses(pr.sha)["tfgate/plan: slow"]).toBe("error");
    // What the killed plan left (its checkout, its provider socket directory) was swept at start.
    expect(h.logs.join("\n")).toContain("removed the workspaces of jobs the previous stop interrupted");
  });
});
