import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useHarness } from "./use-harness.js";

/** In the server's environment: whatever reads /proc/self/environ would see it. */
const CANARY = "canary-4f1d8c2e9b7a";

describe("GitHub App: a symbolic link leading outside the repository (real server, fake GitHub, real tofu)", () => {
  const h = useHarness({ env: { TFGATE_SCENARIO_CANARY: CANARY } });

  const everything = (n: number) => [...h.comments(n).map((c) => c.body), ...h.logs].join("\n");
  const planFilesOf = (sha: string) => {
    try {
      return readdirSync(join(h.dataDir, "plans"), { recursive: true, encoding: "utf8" }).filter((p) => p.includes(sha));
    } catch {
      return [];
    }
  };

  it("refuses a PR adding terraform.tfvars -> /proc/self/environ: the refusal is shown, no environment, nothing planned", async () => {
    const pr = await h.openPullRequest("env-link", { "projects/ortensia/extra.tf": `resource "terraform_data" "e" {}\n` }, { links: { "projects/kirare/terraform.tfvars": "/proc/self/environ" } });
    expect(pr.response.status).toBe(202);
    const state = await h.waitFor("a final plan status", () => {
      const s = h.statuses(pr.sha)["tfgate/plan"];
      return s !== undefined && s !== "pending" ? s : undefined;
    });
    expect(state).toBe("error");
    expect(h.statuses(pr.sha)).toEqual({ "tfgate/plan": "error" });
    const notice = h.comments(pr.number).find((c) => c.body.includes("could not plan"));
    expect(notice?.body).toContain('projects/kirare/terraform.tfvars is a symbolic link to "/proc/self/environ", which leads outside the repository; it is in project "kirare" (projects/kirare)');
    expect(notice?.body).toContain("so nothing was planned");
    // The server's environment is the test's plus its settings: no NAME=value of it is shown.
    const shown = everything(pr.number);
    expect(shown).not.toContain(CANARY);
    const leaked = Object.entries(process.env).filter(([k, v]) => v !== undefined && v.length >= 4 && shown.includes(`${k}=${v}`));
    expect(leaked.map(([k]) => k)).toEqual([]);
    expect(shown).not.toMatch(/TFGATE_[A-Z_]+=/);
    expect(planFilesOf(pr.sha)).toEqual([]);
  });

  it("refuses `/plan kirare` on a PR that does not touch it, once such a link is on the default branch", async () => {
    h.repo.git("switch", "-q", "main");
    h.repo.symlink("/proc/self/environ", "projects/kirare/terraform.tfvars");
    h.repo.commit("a link that predates the rule");
    const pr = await h.openPullRequest("stella-only", { "projects/stella-maris/extra.tf": `resource "terraform_data" "s" {}\n` });
    // The link in kirare blocks nothing else: stella-maris is planned.
    await h.waitFor("stella-maris planned", () => h.statuses(pr.sha)["tfgate/plan"] === "success");
    await h.comment(pr.number, "alice", "/plan kirare");
    const reply = await h.waitFor("the refusal", () => h.comments(pr.number).find((c) => c.body.includes("could not plan")));
    expect(reply.body).toContain("projects/kirare/terraform.tfvars is a symbolic link");
    expect(everything(pr.number)).not.toContain(CANARY);
    expect(planFilesOf(pr.sha).filter((p) => p.includes("kirare"))).toEqual([]);
  });
});
