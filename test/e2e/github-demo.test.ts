import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.js";

describe("tfgate demo (the GitHub App flow against the simulated GitHub)", () => {
  it("plans a PR, reports the policy failure, replans after the fix, refuses then applies after SRE approval, then drift is found and resolved, with no API contract violation", async () => {
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
    // Nested names, var files, workspaces and the default workflow of tfgate.example.yaml.
    expect(r.stdout).toMatch(/success\s+tfgate\/plan: web\/prod: /);
    expect(r.stdout).toMatch(/success\s+tfgate\/plan: web\/staging: /);
    expect(r.stdout).toContain("- `web/prod`: `module modules/web-app changed (modules/web-app/main.tf modified) via projects/web/prod → modules/web-app`");
    expect(r.stdout).toContain("✅ workflow steps of <code>web/prod</code>: 2 passed");
    expect(r.stdout).toMatch(/replicas\s+= 3\n[^]*tier\s+= "frontend"\n[^]*workspace\s+= "prod"/);
    // After review: merged without apply, drift found (an issue), drift resolved (the issue closed).
    expect(r.stdout).toContain("⚠️ **Merged without `/apply`**");
    expect(r.stdout).toMatch(/issue #\d+: Drift: kirare in acme\/infra \(\d+ to add/);
    expect(r.stdout).toContain("⚠️ **Closed without merging after an apply**");
    expect(r.stdout).toMatch(/Drift: runbook in acme\/infra \(0 to add, 1 to change, 0 to destroy\)\n\n<!-- tfgate:drift repo=acme\/infra project=runbook -->/);
    expect(r.stdout).toContain('input  = "rotation-2" -> "rotation-1"');
    expect(r.stdout).toContain("@alice checked `runbook`: in sync.");
    expect(r.stdout).toMatch(/✅ Drift resolved at `[0-9a-f]{40}`/);
    expect(r.stdout).toMatch(/issue #\d+ is closed; open drift issues: #\d+ Drift: kirare/);
    expect(r.stdout).toContain("GitHub API contract violations seen by the simulated GitHub: 0");
  }, 300_000);
});
