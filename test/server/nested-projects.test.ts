import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useHarness } from "./use-harness.js";

const app = (v: string) => `resource "terraform_data" "release" {\n  input = "${v}"\n}\n`;

/**
 * An environment-per-directory layout (`projects/*\/*`): two projects whose directories are both
 * called `prod`. Before names came from paths, every pull request failed detection here.
 */
describe("GitHub App: nested project names (real server, fake GitHub, real tofu)", () => {
  const h = useHarness({ env: { TFGATE_APPROVER_TEAMS: "acme/sre" } });

  it("plans app1/prod and app2/prod, says why, and /plan, /apply and /unlock take the nested names", async () => {
    h.repo.git("switch", "-q", "main");
    h.repo.write({
      "tfgate.yaml": 'roots: ["projects/*", "projects/*/*"]\n',
      "projects/app1/prod/main.tf": app("one"),
      "projects/app2/prod/main.tf": app("one"),
    });
    h.repo.commit("environments per directory");
    h.fake.state.addTeamMember("acme", "sre", "sam");

    const { number: pr, sha } = await h.openPullRequest("two-prods", { "projects/app1/prod/main.tf": app("two"), "projects/app2/prod/main.tf": app("two") });
    await h.waitFor("both planned", () => h.statuses(sha)["tfgate/plan"] === "success", 120_000);
    expect(h.statuses(sha)).toEqual({ "tfgate/plan": "success", "tfgate/plan: app1/prod": "success", "tfgate/plan: app2/prod": "success" });
    const summary = h.summary(pr);
    expect(summary).toContain("`app1/prod`");
    expect(summary).toContain("Why these projects were planned");
    expect(summary).toContain("- `app2/prod`: `projects/app2/prod/main.tf modified`");
    const plans = readdirSync(join(h.dataDir, "plans"), { recursive: true, encoding: "utf8" }).filter((p) => p.includes(sha) && p.endsWith(".tfplan"));
    expect(plans.map((p) => p.split("/").pop()).sort()).toEqual(["app1%2Fprod.tfplan", "app2%2Fprod.tfplan"]);

    const plansOf = (project: string) => h.logs.filter((l) => l.includes(`"project":"${project}"`) && l.includes('"msg":"plan finished"')).length;
    await h.comment(pr, "bob", "/plan app1/prod");
    await h.waitFor("app1/prod replanned on request", () => plansOf("app1/prod") === 2, 120_000);
    expect(plansOf("app2/prod")).toBe(1);

    await h.approve(pr);
    await h.waitFor("ready to apply", () => /ready to apply/.test(h.summary(pr)));
    await h.comment(pr, "alice", "/apply app1/prod");
    await h.waitFor("app1/prod applied", () => h.statuses(sha)["tfgate/apply: app1/prod"] === "success", 120_000);
    const states = readdirSync(join(h.dataDir, "state"), { recursive: true, encoding: "utf8" }).filter((p) => p.endsWith("terraform.tfstate"));
    expect(states.some((p) => p.includes("app1%2Fprod/terraform.tfstate"))).toBe(true);
    expect(h.statuses(sha)["tfgate/apply: app2/prod"]).not.toBe("success");

    await h.comment(pr, "bob", "/unlock app2/prod");
    await h.waitFor("unlocked", () => h.comments(pr).some((c) => c.body.includes("`app2/prod`: released")));
    // A project the change does not affect, planned on request, says so.
    await h.comment(pr, "bob", "/plan kirare");
    await h.waitFor("kirare planned on request", () => h.summary(pr).includes("- `kirare`: `requested with /plan by @bob`"), 120_000);
    expect(existsSync(h.dataDir)).toBe(true);
  }, 400_000);
});
