import { describe, expect, it } from "vitest";
import { renderSummary } from "../../src/domain/render/render-summary.js";
import { structureProblems } from "./markdown-structure.js";
import { BASE, changesProject } from "./summary-fixtures.js";

/** What the summary says about applying: the plan an approval covers, a base that is never applied. */
describe("renderSummary: the approval's side", () => {
  it("shows each plan's content hash, shortened, and nothing that is not a hash", () => {
    const hash = "0123456789abcdef".repeat(4);
    const body = renderSummary({
      ...BASE,
      projects: [changesProject("a", [{ address: "hcloud_server.a", action: "create" }], { planHash: hash }), changesProject("b", [], { planHash: "`evil`" })],
    })[0] as string;
    expect(body).toContain("📝 changes (plan `0123456789ab`)");
    expect(body).not.toContain(hash);
    expect(body).not.toContain("evil");
  });

  it("says up front that a PR into an unprotected base is never applied, and not how to apply it", () => {
    const body = renderSummary({
      ...BASE,
      baseRef: "mallory-rules",
      configRef: "main",
      neverApplied: true,
      configChanged: true,
      projects: [changesProject("kirare", [{ address: "hcloud_server.a", action: "create" }])],
    })[0] as string;
    const caution = body.indexOf("> [!CAUTION]\n> **This pull request will never be applied:** it goes into `mallory-rules`");
    expect(caution).toBeGreaterThan(0);
    expect(caution).toBeLessThan(body.indexOf("| Project |"));
    expect(body).toContain("It is planned with the configuration and policies of `main`. To apply it, retarget it to `main`.");
    expect(body).toContain("tfgate keeps using the version on `main`.");
    expect(body).not.toContain("To apply, comment");
    expect(structureProblems(body)).toEqual([]);
  });

  it("warns in every summary when the server runs plans without its sandbox", () => {
    const project = changesProject("kirare", [{ address: "hcloud_server.a", action: "create" }]);
    const unsandboxed = renderSummary({ ...BASE, unsandboxed: true, projects: [project] })[0] as string;
    expect(unsandboxed).toContain("> [!CAUTION]\n> This tfgate server runs plans **without its sandbox** (`TFGATE_SANDBOX=none`)");
    expect(unsandboxed.indexOf("without its sandbox")).toBeLessThan(unsandboxed.indexOf("| Project |"));
    expect(structureProblems(unsandboxed)).toEqual([]);
    expect(renderSummary({ ...BASE, projects: [project] })[0]).not.toContain("without its sandbox");
  });
});
