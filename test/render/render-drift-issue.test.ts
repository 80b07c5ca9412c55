import { describe, expect, it } from "vitest";
import { driftIssueMarker, readDriftIssueMarker } from "../../src/domain/drift/drift-issue-marker.js";
import { DRIFT_ISSUE_BODY_LIMIT, driftIssueTitle, renderDriftIssue, renderDriftResolved } from "../../src/domain/drift/render-drift-issue.js";

const SHA = "c".repeat(40);
const drifted = { state: "drifted" as const, sha: SHA, checkedAt: Date.UTC(2026, 0, 1, 5, 17), counts: { add: 1, change: 0, destroy: 2, replace: 1 }, diff: '  + resource "x" "y" {}\n  - resource "x" "z" {}', error: null, lockedBy: null };

describe("drift issue rendering", () => {
  it("title, marker first, counts, commit, time, and the diff in a fold", () => {
    expect(driftIssueTitle("acme/infra", "net", drifted.counts)).toBe("Drift: net in acme/infra (1 to add, 0 to change, 2 to destroy, 1 to replace)");
    const body = renderDriftIssue({ repo: "acme/infra", project: "net", latest: drifted });
    expect(body.split("\n")[0]).toBe(driftIssueMarker("acme/infra", "net"));
    expect(readDriftIssueMarker(body)).toEqual({ repo: "acme/infra", project: "net" });
    expect(body).toContain("**1 to add, 0 to change, 2 to destroy, 1 to replace**");
    expect(body).toContain(`| Commit | \`${SHA}\` |`);
    expect(body).toContain("| Checked | at 2026-01-01 05:17 UTC |");
    expect(body).not.toContain("| Lock |");
    expect(body).toMatch(/<details><summary>Plan output<\/summary>\n\n```diff\n\+ +resource "x" "y" \{\}\n- +resource "x" "z" \{\}\n```\n\n<\/details>/);
  });

  it("stays within GitHub's limits: a 200-character name shortens the title to 256, a huge error is cut", () => {
    const long = `${"a".repeat(99)}/${"b".repeat(100)}`;
    const title = driftIssueTitle("acme/infra", long, drifted.counts);
    expect(title.length).toBeLessThanOrEqual(256);
    expect(title).toMatch(/^Drift: a+\/b+… in acme\/infra \(1 to add/);
    const body = renderDriftIssue({ repo: "acme/infra", project: long, latest: { ...drifted, state: "error", error: Array.from({ length: 40 }, () => "e".repeat(2000)).join("\n"), diff: "x\n".repeat(40_000) }, lastDrift: { ...drifted, diff: "x\n".repeat(40_000) } });
    expect(body.length).toBeLessThanOrEqual(DRIFT_ISSUE_BODY_LIMIT);
  });

  it("names the pull request holding the lock", () => {
    const body = renderDriftIssue({ repo: "acme/infra", project: "net", latest: { ...drifted, lockedBy: 12 }, pullUrl: "https://github.com/acme/infra/pull/" });
    expect(body).toContain("| Lock | held by [#12](https://github.com/acme/infra/pull/12)");
  });

  it("policy findings on the plan: a table of violations and warnings, escaped; passing policies are one row of the facts", () => {
    const policy = {
      status: "failed" as const,
      violations: [{ address: "hcloud_server.web", rule: "project-tag", message: "Project tag is missing <b>@sre</b>", file: "projects/net/main.tf", line: 3 }],
      warnings: [{ address: "", rule: "blast-radius", message: "2 destroys" }],
    };
    const body = renderDriftIssue({ repo: "acme/infra", project: "net", latest: { ...drifted, policy } });
    expect(body).toContain("**Policy findings** on the plan that would bring the infrastructure back to the default branch:");
    expect(body).toContain("| `net` | ❌ failed | `hcloud_server.web`<br>`projects/net/main.tf:3` | `project-tag` | Project tag is missing \\<b\\>@\u200bsre\\</b\\> |");
    expect(body).toContain("| `net` | ⚠️ warning | whole plan | `blast-radius` | 2 destroys |");
    // Findings come before the diff, which is cut first when the body is too long.
    expect(body.indexOf("Policy findings")).toBeLessThan(body.indexOf("Plan output"));

    const passed = renderDriftIssue({ repo: "acme/infra", project: "net", latest: { ...drifted, policy: { status: "passed", warnings: [] } } });
    expect(passed).toContain("| Policies | ✅ passed |");
    expect(passed).not.toContain("Policy findings");
    expect(renderDriftIssue({ repo: "acme/infra", project: "net", latest: drifted })).not.toContain("Policies");
  });

  it("an error shows what failed and keeps the last drift", () => {
    const body = renderDriftIssue({ repo: "acme/infra", project: "net", latest: { ...drifted, state: "error", counts: null, diff: null, error: "Error: boom\n\u001b[31mred\u001b[0m" }, lastDrift: drifted });
    expect(body).toContain("failed:");
    expect(body).toContain("Error: boom\nred");
    expect(body).toContain("2 to destroy");
    const alone = renderDriftIssue({ repo: "acme/infra", project: "net", latest: { ...drifted, state: "error", counts: null, diff: null, error: "boom" } });
    expect(alone).toContain("No check has shown the drift's extent yet.");
    expect(alone).not.toContain("<details>");
  });

  it("a huge diff is cut by whole lines under the limit, and a fence in the diff cannot close the fold's", () => {
    const diff = Array.from({ length: 20_000 }, (_, i) => `  + line ${i} \`\`\`\` ${"x".repeat(20)}`).join("\n");
    const body = renderDriftIssue({ repo: "acme/infra", project: "net", latest: { ...drifted, diff } });
    expect(body.length).toBeLessThanOrEqual(DRIFT_ISSUE_BODY_LIMIT);
    expect(body).toMatch(/✂️ \d+ more lines left out/);
    expect(body).toContain("`````diff");
    expect(body.trimEnd().endsWith("closes it when a check finds no drift.")).toBe(true);
  });

  it("only the first line is a marker; the resolution comment names the commit", () => {
    expect(readDriftIssueMarker(`hello\n${driftIssueMarker("acme/infra", "net")}`)).toBeNull();
    expect(readDriftIssueMarker("<!-- tfgate:drift repo=acme/infra project=../x -->")).toBeNull();
    expect(readDriftIssueMarker("<!-- tfgate:drift repo=acme/infra project=a//b -->")).toBeNull();
    // Nested project names hold '/'.
    expect(readDriftIssueMarker(driftIssueMarker("acme/infra", "app1/prod"))).toEqual({ repo: "acme/infra", project: "app1/prod" });
    expect(renderDriftResolved(SHA)).toContain(`\`${SHA}\``);
  });
});
