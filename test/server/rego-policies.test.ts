import { describe, expect, it } from "vitest";
import { useHarness } from "./use-harness.js";

/** Rego v0, as conftest policy sets written before OPA 1.0 are: taken unchanged. */
const NO_TIME_V0 = `package main

deny[msg] {
  rc := input.resource_changes[_]
  rc.type == "time_offset"
  rc.change.actions[_] == "create"
  msg := sprintf("%s: time resources are managed elsewhere", [rc.address])
}
`;
/** Rego v1 in another package, reading a data document beside it. */
const INPUT_LIMIT_V1 = `package terraform.inputs

import rego.v1

warn contains {"msg": sprintf("%s: input %q is not in the allowed list", [rc.address, rc.change.after.input]), "address": rc.address} if {
  some rc in input.resource_changes
  rc.type == "terraform_data"
  not rc.change.after.input in data.terraform.inputs.allowed
}
`;

/**
 * Rego policies (conftest's conventions) through the real server, real tofu and the real
 * conftest: from the default branch only, joined to the policy table with file and rule, and
 * failing closed when a policy does not compile.
 */
describe("GitHub App: Rego policies in policies/ (real server, fake GitHub, real tofu, real conftest)", () => {
  const h = useHarness({});
  const data = (v: string) => `resource "terraform_data" "x" {\n  input = "${v}"\n}\n`;

  it("setup: main holds a v0 package main and a v1 package with its data file", () => {
    h.repo.git("switch", "-q", "main");
    h.repo.write({
      "policies/conftest/no-time.rego": NO_TIME_V0,
      "policies/conftest/inputs.rego": INPUT_LIMIT_V1,
      "policies/terraform/inputs/data.json": JSON.stringify({ allowed: ["blue", "green"] }),
    });
    h.repo.commit("main: conftest policies");
  });

  it("a deny fails the project, a warn warns, each with its rule and file; the PR's own policy edits do not count", async () => {
    const files = {
      "projects/ortensia/extra.tf": `${data("purple")}resource "time_offset" "t" {\n  offset_days = 1\n}\n`,
      // The pull request deletes the deny rule: main's policies judge it anyway.
      "policies/conftest/no-time.rego": "package main\n",
    };
    const { number, sha } = await h.openPullRequest("time-and-purple", files);
    await h.waitFor("planned", () => ["failure", "error"].includes(h.statuses(sha)["tfgate/plan: ortensia"] ?? ""), 120_000);
    expect(h.statuses(sha)["tfgate/plan: ortensia"]).toBe("failure");
    const summary = h.summary(number);
    expect(summary).toContain("time\\_offset.t: time resources are managed elsewhere");
    expect(summary).toContain("`data.main.deny (policies/conftest/no-time.rego)`");
    expect(summary).toContain("terraform\\_data.x: input \"purple\" is not in the allowed list");
    expect(summary).toContain("`data.terraform.inputs.warn (policies/conftest/inputs.rego)`");
    // The warning names the resource's file and line, found from the address the policy gave.
    expect(summary).toContain("projects/ortensia/extra.tf:1");
  });

  it("an allowed plan passes with no findings", async () => {
    const { number, sha } = await h.openPullRequest("green", { "projects/kirare/extra.tf": data("green") });
    await h.waitFor("planned", () => ["success", "failure", "error"].includes(h.statuses(sha)["tfgate/plan"] ?? ""), 120_000);
    expect(h.statuses(sha)["tfgate/plan"], h.summary(number)).toBe("success");
  });

  it("a policy on main that does not compile fails every plan closed, with the compiler's message", async () => {
    h.repo.git("switch", "-q", "main");
    h.repo.write({ "policies/conftest/broken.rego": "package broken\n\ndeny contains msg if {\n  msg := \n}\n" });
    h.repo.commit("main: a broken policy");
    const { number, sha } = await h.openPullRequest("after-broken", { "projects/stella-maris/extra.tf": data("blue") });
    await h.waitFor("judged", () => ["failure", "error"].includes(h.statuses(sha)["tfgate/plan: stella-maris"] ?? ""), 120_000);
    const summary = h.summary(number);
    expect(summary).toContain("the Rego policies could not be evaluated");
    expect(summary).toContain("policies/conftest/broken.rego:5");
    expect(summary).toContain("rego\\_parse\\_error");
  });
});
