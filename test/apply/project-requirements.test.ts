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
    { projects: ["payments/*"], approver_teams: ["acme/sre", "acme/payments"], approvals: "all-of", require: ["checks_passing"], required_checks: ["ci/test"] },
    { projects: ["*/prod"], approvals: "any-of", require: ["up_to_date_with_base"], required_checks: [] },
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
      requiredChecks: ["ci/test"],
    });
  });

  it("a rule without teams keeps the server's and tfgate.yaml's teams and adds its requirements", () => {
    expect(projectRequirements("web/prod", ["acme/sre"], config, NO_FLOOR)).toEqual({
      approvals: [{ teams: ["acme/sre", "acme/writers"], mode: "any-of", source: "tfgate.yaml apply.rules[1]" }],
      require: ["mergeable", "up_to_date_with_base"],
      requiredChecks: [],
    });
    expect(projectRequirements("web/staging", ["acme/sre"], config, NO_FLOOR)).toEqual({
      approvals: [{ teams: ["acme/sre", "acme/writers"], mode: "any-of", source: "the approver teams" }],
      require: ["mergeable"],
      requiredChecks: [],
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
  it("named checks must have reported success: a missing one is unmet, whatever checks_passing says", () => {
    const needs = [{ project: "a", require: [], requiredChecks: ["ci/test", "build"] }];
    const others = { upToDate: null, checks: [{ name: "build", state: "pending" as const }] };
    expect(otherRequirements(needs, { ref: "main" }, others)).toEqual([
      { code: "checks", message: "`a` requires the check `build` to pass on the head: it is pending; wait for it or fix it" },
      { code: "checks", message: "`a` requires the check `ci/test` to pass on the head: it has not reported; wait for it (or check that it runs on this branch)" },
    ]);
    expect(otherRequirements(needs, { ref: "main" }, { upToDate: null, checks: [{ name: "build", state: "success" }, { name: "ci/test", state: "success" }] })).toEqual([]);
  });

  it("fails closed when it could not tell, and is silent when nothing requires it", () => {
    expect(otherRequirements(targets, { ref: "main" }, { upToDate: { value: null, baseSha: "b".repeat(40) }, checks: null }).map((u) => u.code)).toEqual(["up-to-date", "checks"]);
    expect(otherRequirements([targets[2]!], { ref: "main" }, undefined)).toEqual([]);
    expect(otherRequirements(targets, { ref: "main" }, { upToDate: { value: true, baseSha: "b".repeat(40) }, checks: [] })).toEqual([]);
  });
});

describe("checkApprovalRules: what review found", () => {
  const target = { project: "web", current: { contentHash: "h1", postedAt: Date.parse("2026-12-01T10:00:00Z") }, history: [{ contentHash: "h1", postedAt: Date.parse("2026-12-01T10:00:00Z") }], approvalsVoidUntil: null };
  const review = (reviewer: string): GateReview => ({ reviewer, state: "APPROVED", commitId: HEAD, submittedAt: "2026-12-01T11:00:00Z" });

  it("no rule at all (no approver team for the project) is never approved", () => {
    expect(checkApprovalRules([], [review("sam")], () => true, target)).toMatchObject({ status: "unmet", notes: ["no approver team for this project"] });
    // The gate then refuses: a rule for other projects does not open this one.
    const only = { ...DEFAULT_APPLY_CONFIG, rules: [{ projects: ["payments/*"], approver_teams: ["acme/pay"], approvals: "any-of" as const, require: [], required_checks: [] }] };
    expect(projectRequirements("web", [], only, NO_FLOOR).approvals).toEqual([]);
  });

  it("all-of needs as many people as teams: one member of both counts once", () => {
    const allOf = [{ teams: ["acme/sre", "acme/payments"], mode: "all-of" as const, source: "tfgate.yaml apply.rules[0]" }];
    const both = (_team: string, login: string) => login === "sam" || login === "pat";
    expect(checkApprovalRules(allOf, [review("sam")], both, target)).toEqual({
      status: "unmet",
      messages: ["`web` needs an approval by a different person for each of acme/sre, acme/payments (tfgate.yaml apply.rules[0]: all of them approve); one person counts for one team"],
      notes: ["needs a different approver for each of acme/sre, acme/payments"],
    });
    expect(checkApprovalRules(allOf, [review("sam"), review("pat")], both, target)).toEqual({ status: "approved", reviewers: ["pat", "sam"] });
  });
});
