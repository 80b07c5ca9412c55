import { describe, expect, it } from "vitest";
import { MAX_COMMANDS_PER_COMMENT } from "../../src/domain/commands/select-commands.js";
import { GITHUB_COMMENT_LIMIT } from "../../src/domain/render/render-summary.js";
import { NAME, OWNER } from "./server-harness.js";
import { useHarness } from "./use-harness.js";

const HOSTILE = "<img src=x onerror=alert(1)>";
const lines = (n: number, line: (i: number) => string) => Array.from({ length: n }, (_, i) => line(i + 1)).join("\n");

/** The body without code spans and fences, where nothing is interpreted. */
const outsideCode = (body: string) => body.replace(/^(`{3,})[^\n]*\n[\s\S]*?^\1$/gm, "").replace(/(`+)(?!`)[\s\S]*?[^`]\1(?!`)/g, "");

/**
 * A comment costs one reaction and at most one reply, whatever it holds: what a 40-line comment
 * from a user without write access did to the installation's API budget (40 replies, 201 calls).
 */
describe("GitHub App: one reply per comment, commands capped (real server, fake GitHub, real tofu)", () => {
  const h = useHarness({ env: { TFGATE_APPROVER_TEAMS: "acme/sre" } });
  const repliesTo = (pr: number, user: string) => h.comments(pr).filter((c) => c.body.startsWith(`@${user} `));

  /**
   * Until the fake has had no request for 3.5 s: GitHub's pacing (a second between writes, three
   * between comments) spreads a flood out, and earlier work must not be counted.
   */
  async function quiet(): Promise<void> {
    for (let seen = -1; seen !== h.fake.requests.length; ) {
      seen = h.fake.requests.length;
      await new Promise((r) => setTimeout(r, 3500));
    }
  }

  /** Comments and waits for the one reply; returns it and the API calls the comment cost. */
  async function commentCost(pr: number, user: string, body: string): Promise<{ reply: string; calls: string[]; replies: number }> {
    await quiet();
    const before = repliesTo(pr, user).length;
    const from = h.fake.requests.length;
    await h.comment(pr, user, body);
    const reply = await h.waitFor(`a reply to ${user}`, () => repliesTo(pr, user)[before]);
    await quiet();
    return { reply: reply.body, calls: h.fake.requests.slice(from).map((r) => `${r.method} ${r.operationId ?? r.path}`), replies: repliesTo(pr, user).length - before };
  }

  let pr = 0;
  it("setup: a planned pull request; tess is an SRE with read access only", async () => {
    h.fake.state.setPermission(OWNER, NAME, "tess", "read");
    h.fake.state.addTeamMember("acme", "sre", "tess");
    const opened = await h.openPullRequest("flood", { "projects/kirare/flood.tf": `resource "terraform_data" "flood" {}\n` });
    await h.waitFor("planned", () => h.statuses(opened.sha)["tfgate/plan"] === "success");
    pr = opened.number;
  });

  it("40 `/apply` lines from a read-only user: one reply, and as few API calls as one line", async () => {
    const one = await commentCost(pr, "rita", "/apply");
    const forty = await commentCost(pr, "rita", lines(40, () => "/apply"));
    const fortyNamed = await commentCost(pr, "rita", lines(40, (i) => `/apply p${i}`));
    for (const cost of [one, forty, fortyNamed]) {
      expect(cost.replies).toBe(1);
      expect(cost.reply).toContain("`/apply` refused**");
      expect(cost.reply).toContain("@rita needs write access to the repository, or membership of acme/sre");
    }
    // The permission is read first and once; the gate runs once; one reaction, one reply:
    // whatever the comment holds, the calls of a one-line comment.
    expect(forty.calls).toEqual([
      "GET repos/get-collaborator-permission-level",
      "POST reactions/create-for-issue-comment",
      "GET pulls/get",
      "GET pulls/list-reviews",
      "GET teams/get-membership-for-user-in-org",
      "POST issues/create-comment",
    ]);
    expect(one.calls).toEqual(forty.calls);
    expect(fortyNamed.calls).toEqual(forty.calls);
    expect(forty.reply).toContain("39 repeated command lines were ignored");
  });

  it("a read-only user's 40 `/plan` lines are refused for three API calls", async () => {
    const cost = await commentCost(pr, "rita", lines(40, (i) => `/plan p${i}`));
    expect(cost.replies).toBe(1);
    expect(cost.reply).toContain("need write access");
    expect(cost.calls.map((c) => c.split(" ")[1])).toEqual(["repos/get-collaborator-permission-level", "reactions/create-for-issue-comment", "issues/create-comment"]);
  });

  it("an approver-team member without write access can still ask for /apply (the gate judges it)", async () => {
    const cost = await commentCost(pr, "tess", lines(40, () => "/apply"));
    expect(cost.replies).toBe(1);
    expect(cost.reply).toContain("`/apply` refused**");
    // Not refused for who she is: only the missing approval is left.
    expect(cost.reply).not.toContain("needs write access");
    expect(cost.reply).toContain("needs an approving review of the head commit");
  });

  it("a writer's comment with many commands: the first ten run, one reply says how many did not", async () => {
    const cost = await commentCost(pr, "alice", `Releasing everything:\n${lines(40, (i) => `/unlock p${i}`)}\n/help\n/help`);
    expect(cost.replies).toBe(1);
    for (let i = 1; i <= MAX_COMMANDS_PER_COMMENT; i++) expect(cost.reply).toContain(`\`p${i}\`: was not locked`);
    expect(cost.reply).not.toContain("`p11`");
    expect(cost.reply).toContain(`At most ${MAX_COMMANDS_PER_COMMENT} commands run per comment: 31 more commands were not run`);
    expect(cost.reply).toContain("1 repeated command line was ignored");
    expect(cost.calls.filter((c) => c.includes("create-comment"))).toHaveLength(1);
  });

  it("a reply too long for one comment is shortened, with a note, not split into several", async () => {
    // Ten /help answers cannot exceed the limit, but ten long refusals listing many projects can.
    const names = Array.from({ length: 1500 }, (_, i) => `project-with-a-long-name-${String(i).padStart(5, "0")}`);
    const body = lines(MAX_COMMANDS_PER_COMMENT, (i) => `/apply ${names.slice(i * 150 - 150, i * 150).join(" ")}`);
    const cost = await commentCost(pr, "alice", body);
    expect(cost.replies).toBe(1);
    expect(cost.reply.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(cost.reply).toMatch(/This reply was shortened to stay under GitHub's 65,536-character comment limit/);
  });

  it("a command that fails on tfgate's side still gets its answer in the one reply; later ones do not run", async () => {
    // pulls/get fails past the retries: /plan cannot read the pull request.
    h.fake.faults.failNext("pulls/get", 4, { kind: "server-error", status: 502 });
    const cost = await commentCost(pr, "alice", "/help\n/plan\n/unlock x");
    h.fake.faults.clear();
    expect(cost.replies).toBe(1);
    expect(cost.reply).toContain("**tfgate commands**");
    expect(cost.reply).toContain("❌ `/plan` failed on tfgate's side");
    expect(cost.reply).toContain("1 later command was not run after that failure.");
    expect(cost.reply).not.toContain("`x`");
    expect(h.logs.join("\n")).toContain("webhook handling failed");
  });

  it("a project directory named like HTML is refused on the PR, escaped; nothing is locked or planned", async () => {
    const opened = await h.openPullRequest("hostile-dir", {
      [`projects/${HOSTILE}/main.tf`]: `resource "terraform_data" "x" {}\n`,
      "projects/ortensia/hostile.tf": `resource "terraform_data" "y" {}\n`,
    });
    await h.waitFor("the error status", () => h.statuses(opened.sha)["tfgate/plan"] === "error");
    expect(h.statuses(opened.sha)).toEqual({ "tfgate/plan": "error" });
    const status = h.fake.state.latestStatuses(OWNER, NAME, opened.sha)[0];
    expect(status?.description).toContain(`project directory "projects/${HOSTILE}" has a name tfgate cannot use`);
    const summary = await h.waitFor("the summary", () => h.summary(opened.number));
    expect(summary).toContain("**tfgate could not plan this commit**, so nothing was planned");
    expect(summary).toContain(`\`project directory "projects/${HOSTILE}" has a name tfgate cannot use`);
    expect(outsideCode(summary)).not.toContain("<img");
    expect(h.comments(opened.number)).toHaveLength(1);
    // Nothing half-done: ortensia was not locked, so another pull request plans it.
    const other = await h.openPullRequest("after-hostile", { "projects/ortensia/after.tf": `resource "terraform_data" "z" {}\n` });
    await h.waitFor("ortensia planned", () => h.statuses(other.sha)["tfgate/plan"] === "success");
    // Renaming the directory fixes the pull request, in the same summary.
    h.repo.git("switch", "-q", "hostile-dir");
    h.repo.git("mv", `projects/${HOSTILE}`, "projects/img");
    const fixed = await h.push(opened.number, "hostile-dir", {});
    await h.waitFor("replanned", () => h.statuses(fixed)["tfgate/plan: img"] === "success");
    expect(h.comments(opened.number).filter((c) => c.body.includes("<!-- tfgate:summary v1"))).toHaveLength(1);
    expect(h.summary(opened.number)).not.toContain("could not plan");
  });
});
