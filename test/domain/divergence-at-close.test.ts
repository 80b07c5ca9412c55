import { describe, expect, it } from "vitest";
import { divergenceAtClose } from "../../src/domain/apply/divergence-at-close.js";
import type { ProjectRunState, SummaryProject } from "../../src/domain/render/summary-input.js";
import { renderDivergenceNotice } from "../../src/domain/render/render-divergence-notice.js";

const counts = { add: 1, change: 0, destroy: 0, replace: 0 };
const row = (name: string, state: ProjectRunState): SummaryProject => ({ name, dir: `projects/${name}`, state, policy: null, lock: "not-held" });
const changes = (name: string) => row(name, { status: "changes", counts, diff: "" });
const applied = (name: string) => row(name, { status: "applied", counts });

describe("divergence at close: does the branch still describe the infrastructure?", () => {
  it.each([
    { what: "merged, a change not applied", merged: true, rows: [changes("b"), applied("a"), changes("a2")], applied: ["a"], want: { kind: "merged-unapplied", projects: ["a2", "b"] } },
    { what: "merged, everything applied", merged: true, rows: [applied("a"), row("c", { status: "no-changes" })], applied: ["a"], want: { kind: "in-step" } },
    { what: "merged, nothing to apply", merged: true, rows: [row("c", { status: "no-changes" })], applied: [], want: { kind: "in-step" } },
    { what: "merged, a failed plan proves nothing", merged: true, rows: [row("e", { status: "error", reason: "failed", message: "x", diagnostics: "" })], applied: [], want: { kind: "in-step" } },
    { what: "closed after applying one of two (at an earlier head too)", merged: false, rows: [changes("right")], applied: ["left", "left"], want: { kind: "closed-after-apply", projects: ["left"] } },
    { what: "closed, nothing applied", merged: false, rows: [changes("right")], applied: [], want: { kind: "in-step" } },
  ])("$what", ({ merged, rows, applied: done, want }) => {
    expect(divergenceAtClose({ merged, rows, applied: done })).toEqual(want);
  });

  it("the warning names each project as code, whatever its name holds", () => {
    const body = renderDivergenceNotice({ kind: "closed-after-apply", projects: ["a`b", "@team"] }, "main");
    expect(body).toContain("- ``a`b``\n- `@team`\n");
    expect(body).toContain("**revert the apply**");
  });
});
