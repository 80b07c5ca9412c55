import { describe, expect, it } from "vitest";
import { commandReplies } from "./command-replies.js";
import { useHarness } from "./use-harness.js";

const TFGATE_YAML = `version: 1
apply:
  require: [mergeable]
  rules:
    - projects: ["ledger"]
      approver_teams: [acme/sre, acme/payments]
      approvals: all-of
      require: [up_to_date_with_base, checks_passing]
      required_checks: [lint]
`;
const DATA = (v: string) => `resource "terraform_data" "req" {\n  input = "${v}"\n}\n`;

/**
 * Per-project apply requirements from the default branch's tfgate.yaml and the server's floor,
 * through the real server, the fake GitHub and real tofu: every unmet requirement is listed with
 * its fix, and meeting them all applies.
 */
describe("GitHub App: per-project approvers and requirements, and the server's floor", () => {
  const h = useHarness({ env: { TFGATE_APPROVER_TEAMS: "acme/sre", TFGATE_APPLY_FLOOR_TEAMS: "acme/platform" } });
  const { reasons, command } = commandReplies(h);
  const status = (sha: string, context: string, state: "pending" | "success" | "failure") =>
    h.fake.state.addStatus({ owner: "acme", repo: "infra", sha, state, context, creator: "ci-bot" });
  let ledger = { number: 0, sha: "" };

  it("setup: sam is in acme/sre, pat in acme/payments, flo in acme/platform; main has the rules", () => {
    h.fake.state.addTeamMember("acme", "sre", "sam");
    h.fake.state.addTeamMember("acme", "payments", "pat");
    h.fake.state.addTeamMember("acme", "platform", "flo");
    h.repo.git("switch", "-q", "main");
    h.repo.write({ "tfgate.yaml": TFGATE_YAML });
    h.repo.commit("main: apply rules");
  });

  it("lists every unmet requirement: base moved, a pending check, the floor's team and the rule's second team", async () => {
    ledger = await h.openPullRequest("ledger-change", { "projects/ledger/main.tf": DATA("one") });
    await h.waitFor("planned", () => h.statuses(ledger.sha)["tfgate/plan"] === "success", 120_000);
    status(ledger.sha, "ci/test", "pending");
    // Another app's check run (GitHub Actions reports so) counts as much as a status.
    h.fake.state.addCheckRun({ owner: "acme", repo: "infra", headSha: ledger.sha, name: "build", appId: 15368, status: "completed", conclusion: "failure" });
    // main moves on after the branch was cut.
    h.repo.git("switch", "-q", "main");
    h.repo.write({ "docs/notes.md": "moved on\n" });
    const mainHead = h.repo.commit("main: unrelated change");
    await h.approve(ledger.number, "sam");
    expect(reasons(await command(ledger.number, "/apply"))).toEqual([
      `\`ledger\` requires the branch to be up to date with \`main\`: it does not contain \`main\`'s head ${mainHead.slice(0, 7)}; merge or rebase it, then \`/plan\` and ask for approval again`,
      "`ledger` requires every other check on the head to pass: ci/test (pending), build (failure); wait for them or fix them",
      "`ledger` requires the check `lint` to pass on the head: it has not reported; wait for it (or check that it runs on this branch)",
      "`ledger` needs an approval of the head by a member of acme/platform (the server's floor (TFGATE_APPLY_FLOOR_TEAMS))",
      "`ledger` needs an approval of the head by a member of acme/payments (tfgate.yaml apply.rules[0]: all of acme/sre, acme/payments approve)",
    ]);
    expect(h.statuses(ledger.sha)["tfgate/apply: ledger"]).toBeUndefined();
  });

  it("a project without a rule needs the approver teams and the floor; no other requirement", async () => {
    const { number, sha } = await h.openPullRequest("notes-change", { "projects/notes/main.tf": DATA("two") });
    await h.waitFor("planned", () => h.statuses(sha)["tfgate/plan"] === "success", 120_000);
    status(sha, "ci/test", "failure");
    await h.approve(number, "flo");
    // A failing check no rule requires does not matter; the floor is met by flo, the approver teams are not.
    expect(reasons(await command(number, "/apply"))).toEqual(["`notes` needs an approval of the head by a member of acme/sre"]);
    await h.approve(number, "sam");
    expect(await command(number, "/apply")).toContain("✅ `notes` applied");
  });

  it("once up to date, the checks green and all three teams approved, ledger applies", async () => {
    h.repo.git("switch", "-q", "ledger-change");
    h.repo.git("merge", "-q", "--no-edit", "main");
    const sha = await h.push(ledger.number, "ledger-change", { "projects/ledger/main.tf": DATA("one-b") });
    await h.waitFor("replanned", () => h.statuses(sha)["tfgate/plan"] === "success", 120_000);
    status(sha, "ci/test", "success");
    status(sha, "lint", "success");
    h.fake.state.addCheckRun({ owner: "acme", repo: "infra", headSha: sha, name: "build", appId: 15368, status: "completed", conclusion: "success" });
    for (const who of ["sam", "pat", "flo"]) await h.approve(ledger.number, who);
    await h.waitFor("ready to apply", () => /ready to apply \\?\(approved by @\u200bflo, @\u200bpat, @\u200bsam\\?\)/.test(h.summary(ledger.number)));
    expect(await command(ledger.number, "/apply")).toContain("✅ `ledger` applied");
  });
});
