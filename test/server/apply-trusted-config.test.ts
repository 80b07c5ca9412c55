import { describe, expect, it } from "vitest";
import { commandReplies } from "./command-replies.js";
import { useHarness } from "./use-harness.js";

const DATA = (v: string) => `resource "terraform_data" "entry" {\n  input = "${v}"\n}\n`;
/** What a writer puts on a branch they created: their own team may approve. */
const WRITERS_APPROVE = "version: 1\napply:\n  approver_teams: [acme/writers]\n";
const NO_TIME = [
  "version: 1",
  "rules:",
  "  - id: no-time",
  "    kind: denied-resource-types",
  '    types: ["time_static"]',
  "    reason: time resources are managed elsewhere",
  "",
].join("\n");

/**
 * What judges a pull request (tfgate.yaml, policies, approver teams) comes from the default
 * branch, or from a base the server lists as protected: never from a base its author could have
 * made. The real server, the fake GitHub and real tofu.
 */
describe("GitHub App: configuration from the default branch or a protected base", () => {
  const h = useHarness({ env: { TFGATE_APPROVER_TEAMS: "acme/sre", TFGATE_PROTECTED_BASES: "release/*" } });
  const { reasons, command } = commandReplies(h);

  /** A branch cut from main with `files` committed on it. */
  function branch(name: string, files: Record<string, string>, remove: readonly string[] = []): void {
    h.repo.git("switch", "-q", "-c", name, "main");
    h.repo.write(files);
    h.repo.remove(...remove);
    h.repo.commit(`${name}: its own rules`);
  }

  it("setup: sam is in acme/sre, bob only in acme/writers; main denies time_static", () => {
    h.fake.state.addTeamMember("acme", "sre", "sam");
    h.fake.state.addTeamMember("acme", "writers", "bob");
    h.repo.git("switch", "-q", "main");
    h.repo.write({ "policies/no-time.yaml": NO_TIME });
    h.repo.commit("main: no time resources");
  });

  it("a PR into a branch whose tfgate.yaml names the author's team is planned with main's rules and never applied", async () => {
    // The writer's branch makes their team approvers and drops main's policy.
    branch("mallory-rules", { "tfgate.yaml": WRITERS_APPROVE }, ["policies/no-time.yaml"]);
    const files = { "projects/sneaky/main.tf": `${DATA("sneaky")}resource "time_static" "t" {}\n` };
    const { number, sha } = await h.openPullRequest("b-sneaky", files, { from: "mallory-rules", base: "mallory-rules" });
    await h.waitFor("planned", () => h.statuses(sha)["tfgate/plan"] !== undefined && h.statuses(sha)["tfgate/plan"] !== "pending");
    // Judged by main's policy, which the branch removed.
    expect(h.statuses(sha)["tfgate/plan: sneaky"]).toBe("failure");
    const summary = h.summary(number);
    expect(summary.indexOf("**This pull request will never be applied:** it goes into `mallory-rules`")).toBeLessThan(summary.indexOf("| Project |"));
    expect(summary).toContain("It is planned with the configuration and policies of `main`.");
    expect(summary).toContain("time resources are managed elsewhere");

    await h.approve(number, "bob");
    expect(reasons(await command(number, "/apply"))).toEqual([
      "the pull request goes into `mallory-rules`, which is not a protected base: tfgate never applies such a pull request (its author could have chosen that branch's rules); retarget it to `main`",
      `needs an approving review of the head commit ${sha.slice(0, 7)} by a member of acme/sre other than the author (@bob is not a current member of acme/sre)`,
      "`sneaky`'s policy check failed: fix the findings in the summary and push",
    ]);
    // Even with an SRE's approval and a passing plan, the base alone refuses it.
    const clean = await h.push(number, "b-sneaky", { "projects/sneaky/main.tf": DATA("sneaky") });
    await h.waitFor("replanned", () => h.statuses(clean)["tfgate/plan"] === "success");
    await h.waitFor("never applied", () => h.summary(number).includes("never applied: the base branch is not protected"));
    await h.approve(number, "sam");
    expect(reasons(await command(number, "/apply"))).toEqual([
      "the pull request goes into `mallory-rules`, which is not a protected base: tfgate never applies such a pull request (its author could have chosen that branch's rules); retarget it to `main`",
    ]);
  });

  it("a PR into a protected base (TFGATE_PROTECTED_BASES) is judged by that base's configuration and may be applied", async () => {
    // release/* is the operator's: its tfgate.yaml counts, so acme/writers may approve there.
    branch("release/1", { "tfgate.yaml": WRITERS_APPROVE });
    const { number, sha } = await h.openPullRequest("b-hotfix", { "projects/hotfix/main.tf": DATA("hotfix") }, { from: "release/1", base: "release/1" });
    await h.waitFor("planned", () => h.statuses(sha)["tfgate/plan"] === "success");
    expect(h.summary(number)).not.toContain("never be applied");
    await h.approve(number, "bob");
    expect(await command(number, "/apply")).toContain("✅ `hotfix` applied");
  });
});
