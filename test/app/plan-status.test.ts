import { describe, expect, it } from "vitest";
import { aggregateStatus, applyAggregateStatus } from "../../src/app/plan-status.js";
import type { ProjectRunState, SummaryProject } from "../../src/domain/render/summary-input.js";

const counts = { add: 1, change: 0, destroy: 0, replace: 0 };
const row = (name: string, state: ProjectRunState): SummaryProject => ({ name, dir: `projects/${name}`, state, policy: null, lock: "held" });

describe("commit statuses: the two aggregates", () => {
  it("tfgate/apply is unknown while plans run, pending until every change is applied, success after", () => {
    expect(applyAggregateStatus([row("a", { status: "running" }), row("b", { status: "no-changes" })])).toBeNull();
    expect(applyAggregateStatus([row("a", { status: "no-changes" })])).toMatchObject({ context: "tfgate/apply", state: "success", description: "nothing to apply" });
    expect(applyAggregateStatus([])).toMatchObject({ state: "success" });
    const mixed = [row("a", { status: "applied", counts }), row("b", { status: "changes", counts, diff: "" }), row("c", { status: "no-changes" })];
    expect(applyAggregateStatus(mixed)).toMatchObject({ state: "pending", description: "1 of 2 project(s) applied: /apply after an SRE approval" });
    expect(applyAggregateStatus([row("a", { status: "applied", counts }), row("c", { status: "no-changes" })])).toMatchObject({ state: "success", description: "1 project(s) applied" });
  });

  it("merged with changes not applied, tfgate/apply fails for good; merged with everything applied, or closed, it does not", () => {
    const mixed = [row("a", { status: "applied", counts }), row("b", { status: "changes", counts, diff: "" }), row("c", { status: "no-changes" })];
    expect(applyAggregateStatus(mixed, "merged")).toMatchObject({ state: "failure", description: "merged with 1 project(s) not applied: apply from a new PR, or revert" });
    expect(applyAggregateStatus(mixed, "closed")).toMatchObject({ state: "pending" });
    expect(applyAggregateStatus([row("a", { status: "applied", counts }), row("c", { status: "no-changes" })], "merged")).toMatchObject({ state: "success", description: "1 project(s) applied" });
    expect(applyAggregateStatus([row("c", { status: "no-changes" })], "merged")).toMatchObject({ state: "success", description: "nothing to apply" });
  });

  it("a failed or blocked plan keeps tfgate/apply pending: it cannot be applied yet", () => {
    const failed = row("a", { status: "error", reason: "failed", message: "boom", diagnostics: "" });
    const locked = row("b", { status: "locked-by-other-pr", holder: { number: 3, url: "u" } });
    expect(applyAggregateStatus([failed, locked])).toMatchObject({ state: "pending", description: "0 of 2 project(s) applied: /apply after an SRE approval" });
    expect(aggregateStatus([failed, locked])).toMatchObject({ context: "tfgate/plan", state: "failure" });
  });
});
