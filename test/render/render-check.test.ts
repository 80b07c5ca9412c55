import { describe, expect, it } from "vitest";
import { policyAnnotations } from "../../src/domain/policy/policy-annotations.js";
import { bounded, projectCheckTitle, renderProjectCheck } from "../../src/domain/render/render-check.js";
import type { SummaryProject } from "../../src/domain/render/summary-input.js";

const counts = { add: 3, change: 1, destroy: 0, replace: 0 };
const row = (patch: Partial<SummaryProject> = {}): SummaryProject => ({ name: "kirare", dir: "projects/kirare", state: { status: "changes", counts, diff: "+ resource" }, policy: null, lock: "held", ...patch });
const LIMIT = 65_535;

describe("a project's check text", () => {
  it("is titled with the counts, the policy verdict, or the failure", () => {
    expect(projectCheckTitle(row())).toBe("+3 ~1 −0 ±0");
    expect(projectCheckTitle(row({ policy: { status: "failed", violations: [{ address: "a.b", rule: "r", message: "m" }], warnings: [] } }))).toBe("+3 ~1 −0 ±0; policy failed: 1 violation(s)");
    expect(projectCheckTitle(row({ state: { status: "error", reason: "failed", message: "Error: boom\nmore", diagnostics: "" } }))).toBe("Error: boom more");
  });

  it("keeps a huge diff within GitHub's 65,535 characters and says it was trimmed", () => {
    const diff = Array.from({ length: 20_000 }, (_, i) => `+ resource "x" "r${i}" {}`).join("\n");
    const summary = renderProjectCheck(row({ state: { status: "changes", counts, diff } }), LIMIT);
    expect(summary.length).toBeLessThanOrEqual(LIMIT);
    expect(summary).toMatch(/diff trimmed: \d+ of 20000 lines shown/);
    expect(summary).toContain('+ resource "x" "r0" {}');
  });

  it("cuts any text over the limit with a note, never splitting a surrogate pair", () => {
    const text = `${"a".repeat(LIMIT - 150)}${"😀".repeat(200)}`;
    const cut = bounded(text, LIMIT);
    expect(cut.length).toBeLessThanOrEqual(LIMIT);
    expect(cut).toContain("cut: a check summary holds at most 65535 characters");
    expect(cut).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
    expect(bounded("short", LIMIT)).toBe("short");
  });
});

describe("policyAnnotations", () => {
  const v = (file: string | undefined, line: number | undefined) => ({ address: "hcloud_server.web", rule: "project-tag", message: "add Project", ...(file === undefined ? {} : { file }), ...(line === undefined ? {} : { line }) });
  it.each([
    ["a violation with file and line fails there", { status: "failed", violations: [v("projects/a/main.tf", 4)], warnings: [] }, [{ path: "projects/a/main.tf", line: 4, level: "failure" }]],
    ["a warning warns", { status: "passed", warnings: [v("projects/a/main.tf", 9)] }, [{ path: "projects/a/main.tf", line: 9, level: "warning" }]],
    ["a finding without a place stays in the summary", { status: "failed", violations: [v(undefined, undefined), v("projects/a/main.tf", undefined)], warnings: [] }, []],
    ["a path outside the repository is dropped", { status: "failed", violations: [v("../etc/passwd", 1), v("/etc/passwd", 1)], warnings: [] }, []],
    ["an evaluation error has no findings", { status: "error", errors: [{ file: "policies/x.yaml", key: "", line: 1, message: "bad" }] }, []],
  ] as const)("%s", (_name, result, expected) => {
    expect(policyAnnotations(result as never).map(({ path, line, level }) => ({ path, line, level }))).toEqual(expected);
  });
  it("titles an annotation with the rule and the resource", () => {
    expect(policyAnnotations({ status: "failed", violations: [v("m.tf", 1)], warnings: [] })[0]).toMatchObject({ title: "project-tag: hcloud_server.web", message: "add Project" });
  });
});
