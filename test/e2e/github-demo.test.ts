import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.js";

describe("tfgate demo (the GitHub App flow against the simulated GitHub)", () => {
  it("plans a PR, reports the policy failure, replans after the fix, refuses then applies after SRE approval, with no API contract violation", async () => {
    const r = await runCli(["demo"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("<!-- tfgate:summary v1 -->");
    expect(r.stdout).toMatch(/Project tag is "ortensia", expected "kirare"/);
    expect(r.stdout).toMatch(/failure\s+tfgate\/plan: kirare: policy failed: 1 violation/);
    expect(r.stdout).toMatch(/success\s+tfgate\/plan: kirare: plan: \+5 ~0 -0 ±0; policy passed/);
    expect(r.stdout).toContain("**`/apply` refused**: nothing was applied");
    expect(r.stdout).toContain("needs an approving review of the head commit");
    expect(r.stdout).toContain("✅ `runbook` applied");
    expect(r.stdout).toMatch(/success\s+tfgate\/apply: runbook: applied/);
    expect(r.stdout).toContain("GitHub API contract violations seen by the simulated GitHub: 0");
  });
});
