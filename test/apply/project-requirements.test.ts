import { describe, expect, it } from "vitest";
import { checkApprovalRules, type GateReview } from "../../src/domain/apply/approval-rules.js";
import { otherRequirements } from "../../src/domain/apply/other-requirements.js";
import { NO_FLOOR, projectRequirements } from "../../src/domain/apply/project-requirements.js";
import { DEFAULT_APPLY_CONFIG, type ApplyConfig } from "../../src/domain/projects/repo-config.js";

const HEAD = "a".repeat(40);
const config: ApplyConfig = {
  ...DEFAULT_APPLY_CONFIG,
  approver_teams: ["acme/writers"],
  require: ["mergeable"],
  rules: [
    { projects: ["payments/*"], approver_teams: ["acme/sre", "acme/payments"], approvals: "all-of", require: ["checks_passing"] },
    { projects: ["*/prod"], approvals: "any-of", require: ["up_to_date_with_base"] },
  ],
};

describe("projectRequirements: the floor, tfgate.yaml's defaults and the first matching rule", () => {
  it("a rule with teams replaces the repository-wide ones; the floor always stays", () => {
    const floor = { teams: ["acme/platform"], require: ["up_to_date_with_base" as const] };
    expect(projectRequirements("payments/prod", ["acme/sre"], config, floor)).toEqual({
      approvals: [
        { teams: ["acme/platform"], mode: "any-of", source: "the server's floor (TFGATE_APPLY_FLOOR_TEAMS)" },
        { teams: ["acme/sre", "acme/payments"], mode: "all-of", source: "tfgate.yaml apply.rules[0]" },
      ],
      require: ["checks_passing", "mergeable", "up_to_date_with_base"],
    });
  });

  it("a rule without teams keeps the server's and tfgate.yaml's teams and adds its requirements", () => {
    expect(projectRequirements("web/prod", ["acme/sre"], config, NO_FLOOR)).toEqual({
      approvals: [{ teams: ["acme/sre", "acme/writers"], mode: "any-of", source: "tfgate.yaml apply.rules[1]" }],
      require: ["mergeable", "up_to_date_with_base"],
    });
    expect(projectRequirements("web/staging", ["acme/sre"], config, NO_FLOOR)).toEqual({
      approvals: [{ teams: ["acme/sre", "acme/writers"], mode: "any-of", source: "the approver teams" }],
      require: ["mergeable"],
    });
  });
});

describe("checkApprovalRules", () => {
  const target = { project: "payments/prod", current: { contentHash: "h1", postedAt: Date.parse("2026-12-01T10:00:00Z") }, history: [{ contentHash: "h1", postedAt: Date.parse("2026-12-01T10:00:00Z") }], approvalsVoidUntil: null };
  const review = (reviewer: string, at = "2026-12-01T11:00:00Z"): GateReview => ({ reviewer, state: "APPROVED", commitId: HEAD, submittedAt: at });
  const teams: Record<string, string[]> = { "acme/sre": ["sam"], "acme/payments": ["pat"], "acme/platform": ["flo", "sam"] };
  const memberOf = (team: string, login: string) => (teams[team] ?? []).includes(login.toLowerCase());
  const allOf = [{ teams: ["acme/sre", "acme/payments"], mode: "all-of" as const, source: "tfgate.yaml apply.rules[0]" }];

  it("all-of needs a member of each team; any-of one of any", () => {
    expect(checkApprovalRules(allOf, [review("sam")], memberOf, target)).toEqual({
      status: "unmet",
      messages: ["`payments/prod` needs an approval of the head by a member of acme/payments (tfgate.yaml apply.rules[0]: all of acme/sre, acme/payments approve)"],
      notes: ["needs an approval by a member of acme/payments"],
    });
    expect(checkApprovalRules(allOf, [review("pat"), review("sam")], memberOf, target)).toEqual({ status: "approved", reviewers: ["pat", "sam"] });
    expect(checkApprovalRules([{ ...allOf[0]!, mode: "any-of" }], [review("pat")], memberOf, target)).toEqual({ status: "approved", reviewers: ["pat"] });
  });

  it("an approval given before the plan was posted covers nothing, whatever the team", () => {
    const early = checkApprovalRules(allOf, [review("pat", "2026-12-01T09:00:00Z"), review("sam")], memberOf, target);
    expect(early.status).toBe("unmet");
    expect(early.status === "unmet" && early.messages[0]).toContain("@pat approved before `payments/prod`'s plan");
  });
});

describe("otherRequirements", () => {
  const targets = [
    { project: "a", require: ["up_to_date_with_base" as const, "checks_passing" as const] },
    { project: "b", require: ["checks_passing" as const] },
    { project: "c", require: [] },
  ];
  it("names the projects that require each, what is wrong and the fix", () => {
    expect(otherRequirements(targets, { ref: "main" }, { upToDate: { value: false, baseSha: "b".repeat(40) }, checks: [{ name: "ci/test", state: "failure" }, { name: "lint", state: "success" }] })).toEqual([
      { code: "up-to-date", message: "`a` requires the branch to be up to date with `main`: it does not contain `main`'s head bbbbbbb; merge or rebase it, then `/plan` and ask for approval again" },
      { code: "checks", message: "`a`, `b` require every other check on the head to pass: ci/test (failure); wait for them or fix them" },
    ]);
  });
  it("fails closed when it could not tell, and is silent when nothing requires it", () => {
    expect(otherRequirements(targets, { ref: "main" }, { upToDate: { value: null, baseSha: "b".repeat(40) }, checks: null }).map((u) => u.code)).toEqual(["up-to-date", "checks"]);
    expect(otherRequirements([targets[2]!], { ref: "main" }, undefined)).toEqual([]);
    expect(otherRequirements(targets, { ref: "main" }, { upToDate: { value: true, baseSha: "b".repeat(40) }, checks: [] })).toEqual([]);
  });
});
