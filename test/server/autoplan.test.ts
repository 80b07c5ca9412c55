import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { NAME, OWNER, type Harness } from "./server-harness.js";
import { useHarness } from "./use-harness.js";

const touch = (h: Harness, path: string, note: string) => ({ [path]: `${h.repo.git("show", `main:${path}`)}\n# ${note}\n` });

describe("GitHub App: autoplan, summary, statuses, locks (real server, fake GitHub, real tofu)", () => {
  const h = useHarness();

  let firstPlanFiles: string[] = [];
  const planFilesOf = (sha: string) =>
    readdirSync(join(h.dataDir, "plans"), { recursive: true, encoding: "utf8" }).filter((p) => p.includes(sha) && p.endsWith(".tfplan"));
  const statuses = (sha: string) => h.statuses(sha);

  it("plans the one project a PR touches: one summary comment and statuses", async () => {
    const pr = await h.openPullRequest("kirare-only", { "projects/kirare/extra.tf": `resource "terraform_data" "extra" {\n  input = "x"\n}\n` });
    expect(pr.response.status).toBe(202);
    await h.waitFor("kirare planned", () => statuses(pr.sha)["tfgate/plan"] === "success");
    expect(statuses(pr.sha)).toEqual({ "tfgate/plan: kirare": "success", "tfgate/plan": "success" });
    const summaries = h.fake.state.comments(OWNER, NAME, pr.number).filter((c) => c.body.includes("<!-- tfgate:summary v1"));
    expect(summaries).toHaveLength(1);
    const body = summaries[0]?.body ?? "";
    expect(body).toContain(pr.sha);
    expect(body).toContain("kirare");
    expect(body).not.toContain("ortensia");
    expect(body).toContain("terraform_data.extra");
    // The plan file of the head commit is kept for a later apply.
    firstPlanFiles = planFilesOf(pr.sha);
    expect(firstPlanFiles.map((p) => p.split("/").pop())).toEqual(["kirare.tfplan"]);
  });

  it("plans every project that reaches a changed shared module", async () => {
    const pr = await h.openPullRequest("labels", touch(h, "modules/labels/main.tf", "shared"));
    await h.waitFor("three plans", () => statuses(pr.sha)["tfgate/plan"] === "success" || statuses(pr.sha)["tfgate/plan"] === "failure");
    // kirare is locked by the first PR: that row is refused, the others are planned.
    expect(statuses(pr.sha)).toMatchObject({ "tfgate/plan: ortensia": "success", "tfgate/plan: stella-maris": "success", "tfgate/plan: kirare": "failure" });
    const notice = h.fake.state.comments(OWNER, NAME, pr.number).find((c) => c.body.includes("is locked by #1"));
    expect(notice?.body).toContain("/pull/1");
    expect(notice?.body).toContain("/unlock kirare");
    // The summary says why each was planned: through the module they call.
    expect(h.summary(pr.number)).toContain("- `ortensia`: `module modules/labels changed (modules/labels/main.tf modified) via projects/ortensia → modules/labels`");
  });

  it("a push replans only what the new diff affects and updates the same summary", async () => {
    const pr = await h.openPullRequest("ortensia-then-stella", touch(h, "projects/ortensia/main.tf", "one"));
    await h.waitFor("first plan", () => statuses(pr.sha)["tfgate/plan"] !== undefined && statuses(pr.sha)["tfgate/plan"] !== "pending");
    // ortensia and stella-maris are locked by the labels PR (#2): release them there first.
    await h.comment(2, "bob", "/unlock");
    await h.waitFor("unlocked", () => h.fake.state.comments(OWNER, NAME, 2).some((c) => c.body.includes("`ortensia`: released")));
    const second = await h.push(pr.number, "ortensia-then-stella", touch(h, "projects/stella-maris/main.tf", "two"));
    await h.waitFor("replanned", () => statuses(second)["tfgate/plan"] === "success");
    expect(Object.keys(statuses(second)).sort()).toEqual(["tfgate/plan", "tfgate/plan: ortensia", "tfgate/plan: stella-maris"]);
    const summaries = h.fake.state.comments(OWNER, NAME, pr.number).filter((c) => c.body.includes("<!-- tfgate:summary v1"));
    expect(summaries).toHaveLength(1);
    expect(summaries[0]?.body).toContain(second);
    expect(summaries[0]?.body).not.toContain(pr.sha);
  });

  it("closing a PR releases its locks, removes its plan files and says so", async () => {
    await h.close(1, true);
    await h.waitFor("closed summary", () => /merged/i.test(h.summary(1)));
    expect(firstPlanFiles.filter((p) => existsSync(join(h.dataDir, "plans", p)))).toEqual([]);
    // kirare can now be planned by another PR.
    const pr = await h.openPullRequest("kirare-again", { "projects/kirare/again.tf": `resource "terraform_data" "again" {}\n` });
    await h.waitFor("kirare planned by the new PR", () => statuses(pr.sha)["tfgate/plan: kirare"] === "success");
    expect(existsSync(join(h.dataDir, "jobs")) ? readdirSync(join(h.dataDir, "jobs")) : []).toEqual([]);
  });
});
