import { describe, expect, it } from "vitest";
import { runStage } from "../../src/adapters/terraform/workflow-steps.js";
import type { Workflow } from "../../src/domain/projects/workflow.js";

const workflow: Workflow = {
  before_init: [
    { kind: "builtin", name: "fmt-check", timeoutSeconds: 5 },
    { kind: "run", name: "tflint", command: "tflint", timeoutSeconds: 5 },
    { kind: "builtin", name: "validate", timeoutSeconds: 5 },
  ],
};

describe("a workflow stage's steps", () => {
  it("on a server that does not allow run: steps, the first run: step fails without running, saying why; the rest do not run", async () => {
    const ran: string[][] = [];
    const r = await runStage("before_init", workflow, async (program, args) => {
      ran.push([program ?? "tofu", ...args]);
      return { ok: true, stdout: "", all: "", exitCode: 0 };
    }, { allowRunSteps: false });
    expect(ran).toEqual([["tofu", "fmt", "-check", "-diff", "-no-color"]]);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toBe("workflow step `tflint` (before_init) is not allowed on this server");
    expect(r.reports.map((s) => [s.name, s.ok])).toEqual([["fmt-check", true], ["tflint", false]]);
    expect(r.reports[1]?.output).toContain("TFGATE_ALLOW_RUN_STEPS");
  });

  it("runs a run: step through /bin/sh when allowed, and keeps the end of a long output", async () => {
    const long = Array.from({ length: 5000 }, (_, i) => `line ${i}`).join("\n");
    const r = await runStage("before_init", { before_init: [workflow.before_init?.[1] as never] }, async (program, args) => {
      expect([program, ...args]).toEqual(["/bin/sh", "-c", "tflint"]);
      return { ok: true, stdout: long, all: long, exitCode: 1 };
    }, { allowRunSteps: true });
    expect(!r.ok && r.message).toBe("workflow step `tflint` (before_init) failed (exit code 1)");
    expect(r.reports[0]?.output.startsWith("…")).toBe(true);
    expect(r.reports[0]?.output.endsWith("line 4999")).toBe(true);
  });
});
