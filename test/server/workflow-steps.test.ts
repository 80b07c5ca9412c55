import { describe, expect, it } from "vitest";
import { useHarness } from "./use-harness.js";

const TFGATE_YAML = `workflow: checks
workflows:
  checks:
    before_init: [fmt-check]
    after_init:
      - validate
      # A step may run the pull request's scripts: TF_DATA_DIR (the providers show and schema run) is not writable.
      - { name: data-dir-probe, run: 'if touch "$TF_DATA_DIR/planted" 2>/dev/null; then echo "TF_DATA_DIR writable"; else echo "TF_DATA_DIR read-only"; fi' }
    after_plan:
      - name: plan-json
        run: 'test -s "$SHOWFILE" && test -s "$PLANFILE" && echo "plan json: $(wc -c < "$SHOWFILE") bytes, tofu at $(command -v tofu || command -v terraform)"'
  slow:
    before_plan:
      - { run: "sleep 30", name: sleepy, timeout_seconds: 2 }
projects:
  - { name: slow, dir: projects/slow, workflow: slow }
`;

/**
 * Workflow steps through the real server and real tofu: built-in fmt-check and validate, a
 * \`run:\` step reading the plan JSON, a step that fails the project with its name, and one that
 * times out.
 */
describe("GitHub App: workflow steps from tfgate.yaml (real server, fake GitHub, real tofu)", () => {
  const h = useHarness({ env: { TFGATE_ALLOW_RUN_STEPS: "true" } });

  it("runs fmt-check, validate and a run: step around the plan, and shows them in a fold", async () => {
    h.repo.git("switch", "-q", "main");
    h.repo.write({ "tfgate.yaml": TFGATE_YAML, "projects/slow/main.tf": `resource "terraform_data" "s" {\n  input = "a"\n}\n` });
    h.repo.commit("workflows");
    const { number: pr, sha } = await h.openPullRequest("formatted", { "projects/ortensia/extra.tf": `resource "terraform_data" "extra" {\n  input = "x"\n}\n` });
    await h.waitFor("planned", () => h.statuses(sha)["tfgate/plan"] === "success", 120_000);
    const summary = h.summary(pr);
    expect(summary).toContain("✅ workflow steps of <code>ortensia</code>: 4 passed");
    expect(summary).toContain("TF_DATA_DIR read-only");
    expect(summary).not.toContain("TF_DATA_DIR writable");
    expect(summary).toContain("✅ <code>fmt-check</code> (before_init,");
    expect(summary).toContain("✅ <code>validate</code> (after_init,");
    expect(summary).toMatch(/plan json: \d+ bytes, tofu at \/\S+\/(tofu|terraform)/);
  });

  it("a file tofu fmt would change fails the project, naming the step, with fmt's diff", async () => {
    // kirare: ortensia is locked by the first pull request.
    const { number: pr, sha } = await h.openPullRequest("unformatted", { "projects/kirare/extra.tf": `resource "terraform_data" "extra" {\ninput="x"\n}\n` });
    await h.waitFor("failed", () => ["failure", "error"].includes(h.statuses(sha)["tfgate/plan: kirare"] ?? ""), 120_000);
    const summary = h.summary(pr);
    expect(summary).toContain("workflow step `fmt-check` (before_init) failed");
    expect(summary).toContain("❌ workflow steps of <code>kirare</code>: 0 passed, 1 failed");
    expect(summary).toContain('+  input = "x"');
  });

  it("a step over its time limit fails the project, saying so", async () => {
    const { number: pr, sha } = await h.openPullRequest("slow-step", { "projects/slow/main.tf": `resource "terraform_data" "s" {\n  input = "b"\n}\n` });
    await h.waitFor("failed", () => ["failure", "error"].includes(h.statuses(sha)["tfgate/plan: slow"] ?? ""), 120_000);
    expect(h.summary(pr)).toContain("workflow step `sleepy` (before_plan) timed out after 2s");
  });
});
