import { describe, expect, it } from "vitest";

import { useHarness } from "./use-harness.js";

const ZERO_TOKEN = "0".repeat(64);

describe("GitHub App: bad config, API faults, secrets (real server, fake GitHub, real tofu)", () => {
  const h = useHarness();

  const comments = (n: number) => h.comments(n);
  const statuses = (sha: string) => h.statuses(sha);

  it("retries GitHub API calls that fail with 5xx or a secondary rate limit", async () => {
    h.fake.faults.failNext("issues/create-comment", 2, { kind: "server-error", status: 502 });
    h.fake.faults.failNext("repos/create-commit-status", 1, { kind: "secondary-rate-limit", retryAfterSeconds: 1 });
    const pr = await h.openPullRequest("faults", { "projects/kirare/faults.tf": `resource "terraform_data" "f" {}\n` });
    await h.waitFor("planned despite faults", () => statuses(pr.sha)["tfgate/plan"] === "success");
    expect(comments(pr.number).filter((c) => c.body.includes("<!-- tfgate:summary v1"))).toHaveLength(1);
    expect(h.fake.faults.pending()).toEqual({});
  });

  it("never shows a sensitive value or the installation token", async () => {
    const pr = await h.openPullRequest("secret", { "projects/ortensia/secret.tf": `resource "terraform_data" "s" {\n  input = var.hcloud_token\n}\n` });
    await h.waitFor("planned", () => statuses(pr.sha)["tfgate/plan"] === "success");
    const everything = [...comments(pr.number).map((c) => c.body), ...h.logs].join("\n");
    expect(everything).toContain("(sensitive value)");
    expect(everything).not.toContain(ZERO_TOKEN);
    expect(everything).not.toMatch(/ghs_[0-9a-f]{20,}/);
  });

  it("an invalid tfgate.yaml on the base branch gets one comment naming file, line and key; nothing runs", async () => {
    h.repo.git("switch", "-q", "main");
    h.repo.write({ "tfgate.yaml": "version: 1\nroots: [\"projects/*\"]\nprojetcs: []\n" });
    h.repo.commit("typo in tfgate.yaml");
    const pr = await h.openPullRequest("after-typo", { "projects/stella-maris/t.tf": `resource "terraform_data" "t" {}\n` });
    const notice = await h.waitFor("config comment", () => comments(pr.number).find((c) => c.body.includes("could not plan")));
    expect(notice.body).toContain("tfgate.yaml:3: projetcs: unknown key");
    await h.waitFor("error status", () => statuses(pr.sha)["tfgate/plan"] === "error");
    expect(statuses(pr.sha)).toEqual({ "tfgate/plan": "error" });
    expect(comments(pr.number)).toHaveLength(1);
  });
});
