import { describe, expect, it } from "vitest";
import { commandReplies } from "./command-replies.js";
import { useHarness } from "./use-harness.js";

/** Offline-applicable projects (terraform_data needs no API). */
const STEADY = `resource "terraform_data" "entry" {\n  input = "steady"\n}\n`;
/** Planned again, the same code gives another plan: plantimestamp() is the time of the plan. */
const CLOCK = `resource "terraform_data" "stamp" {\n  input = plantimestamp()\n}\n`;

/**
 * An approval covers a plan, not a commit: the real server, the fake GitHub and real tofu. Each
 * scenario has its own project, so no lock is shared.
 */
describe("GitHub App: an approval covers the plan it followed", () => {
  const h = useHarness({ env: { TFGATE_APPROVER_TEAMS: "acme/sre" } });
  const { reasons, command } = commandReplies(h);
  /** The shortened content hash the summary shows for a project's plan. */
  const planHash = (pr: number, project: string) => new RegExp(`\\| \`${project}\` \\|[^\\n]*?\\(plan \`([0-9a-f]{12})\`\\)`).exec(h.summary(pr))?.[1];

  /** Comments `/plan project` and waits for its result: the summary goes out before the statuses. */
  async function replan(pr: number, project: string, sha: string): Promise<void> {
    const successes = () => h.fake.state.statuses(sha).filter((s) => s.context === "tfgate/plan" && s.state === "success").length;
    const before = successes();
    await h.comment(pr, "alice", `/plan ${project}`);
    await h.waitFor("the re-plan", () => successes() > before);
  }

  it("setup: sam is in acme/sre", () => {
    h.fake.state.addTeamMember("acme", "sre", "sam");
  });

  it("a re-plan with different content is not covered by the approval given before it", async () => {
    const { number, sha } = await h.openPullRequest("b-clock", { "projects/clock/main.tf": CLOCK });
    await h.waitFor("planned", () => h.statuses(sha)["tfgate/plan"] === "success");
    const approved = planHash(number, "clock");
    expect(approved).toMatch(/^[0-9a-f]{12}$/);
    await h.approve(number);
    await h.waitFor("ready to apply", () => /ready to apply \\?\(approved by @\u200bsam\\?\)/.test(h.summary(number)));

    await replan(number, "clock", sha);
    const now = planHash(number, "clock");
    expect(now).not.toBe(approved);
    // The summary says the earlier approval no longer covers the new plan.
    await h.waitFor("not covered", () => h.summary(number).includes("the plan changed since @\u200bsam's approval, which no longer covers it"));
    const refusal = await command(number, "/apply");
    expect(refusal).toContain("`/apply` refused**: nothing was applied.");
    expect(reasons(refusal)).toEqual([
      `\`clock\`'s plan changed after @sam's approval (approved plan \`${approved}\`, now \`${now}\`), so that approval no longer covers it: ask a member of acme/sre to approve again`,
    ]);

    // Approved again, after the new plan was posted: applied.
    await h.approve(number);
    expect(await command(number, "/apply")).toContain("✅ `clock` applied");
  });

  it("a re-plan with identical content stays covered by the approval", async () => {
    const { number, sha } = await h.openPullRequest("b-steady", { "projects/steady/main.tf": STEADY });
    await h.waitFor("planned", () => h.statuses(sha)["tfgate/plan"] === "success");
    const approved = planHash(number, "steady");
    await h.approve(number);
    await h.waitFor("ready to apply", () => /ready to apply \\?\(approved by @\u200bsam\\?\)/.test(h.summary(number)));

    await replan(number, "steady", sha);
    expect(planHash(number, "steady")).toBe(approved);
    expect(h.summary(number)).toMatch(/ready to apply \\?\(approved by @\u200bsam\\?\)/);
    expect(await command(number, "/apply")).toContain("✅ `steady` applied");
  });
});
