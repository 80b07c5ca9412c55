import { describe, expect, it } from "vitest";
import type { DriftCheckEvent } from "../../src/app/check-drift.js";
import { driftNotification } from "../../src/app/drift-notification.js";
import type { DriftCheckRecord } from "../../src/app/ports/drift-results.js";

let nextId = 1;
function check(state: DriftCheckRecord["state"], counts: DriftCheckRecord["counts"] = null): DriftCheckRecord {
  const id = nextId++;
  return { id, repo: "acme/infra", project: "web/prod", sha: "a".repeat(40), scheduledFor: 0, state, counts, diff: null, policy: null, error: state === "error" ? "boom" : null, lockedBy: null, startedAt: id, checkedAt: id, resumes: 0 };
}
const event = (record: DriftCheckRecord, lastKnown: DriftCheckRecord | null): DriftCheckEvent => ({
  repo: { key: "k", source: "s", name: "acme/infra", fetchEnv: {} } as unknown as DriftCheckEvent["repo"],
  record,
  previous: lastKnown,
  lastKnown,
});
const drifted = () => check("drifted", { add: 1, change: 2, destroy: 0, replace: 1 });

describe("driftNotification: only transitions between in sync and drifted are news", () => {
  it("a project's first check that finds drift: drift.found with the counts and the page's URL", () => {
    expect(driftNotification(event(drifted(), null), "https://tfgate.example/ui/drift")).toEqual({
      event: "drift.found",
      data: { repo: "acme/infra", project: "web/prod", counts: { add: 1, change: 2, destroy: 0, replace: 1 }, url: "https://tfgate.example/ui/drift" },
    });
  });

  it("in sync, then drifted: found; drifted again: nothing", () => {
    expect(driftNotification(event(drifted(), check("in-sync")), null)?.event).toBe("drift.found");
    expect(driftNotification(event(drifted(), drifted()), null)).toBeNull();
  });

  it("drifted, then in sync: drift.resolved with zero counts; in sync again, or first in sync: nothing", () => {
    expect(driftNotification(event(check("in-sync"), drifted()), null)).toEqual({
      event: "drift.resolved",
      data: { repo: "acme/infra", project: "web/prod", counts: { add: 0, change: 0, destroy: 0, replace: 0 }, url: null },
    });
    expect(driftNotification(event(check("in-sync"), check("in-sync")), null)).toBeNull();
    expect(driftNotification(event(check("in-sync"), null), null)).toBeNull();
  });

  it("a failed check is neither found nor resolved, whatever came before", () => {
    expect(driftNotification(event(check("error"), drifted()), null)).toBeNull();
    expect(driftNotification(event(check("error"), null), null)).toBeNull();
  });
});
