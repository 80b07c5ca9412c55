import { describe, expect, it } from "vitest";
import { parseCronSchedule } from "../../src/domain/drift/cron-schedule.js";
import { dueSlot, effectiveDrift, jitterFor, nextDue } from "../../src/domain/drift/due-checks.js";

const server = { enabled: true, schedule: "17 5 * * *", jitterMs: 0 };
const daily = effectiveDrift(server, undefined, undefined).schedule;
const at = (iso: string) => Date.parse(iso);

describe("due drift checks", () => {
  it("a project's drift wins key by key over the top level, which wins over the server", () => {
    expect(effectiveDrift(server, { schedule: "0 * * * *" }, { enabled: false })).toMatchObject({ enabled: false, schedule: { expression: "0 * * * *" } });
    expect(effectiveDrift(server, { enabled: false }, { schedule: "5 4 * * *" })).toMatchObject({ enabled: false, schedule: { expression: "5 4 * * *" } });
    expect(effectiveDrift({ ...server, enabled: false }, undefined, { enabled: true })).toMatchObject({ enabled: true, schedule: { expression: "17 5 * * *" } });
  });

  it("rules: the first that matches the project's name or directory wins over the top level; the project's own drift wins over the rule", () => {
    const top = {
      schedule: "0 6 * * *",
      rules: [
        { dirs: ["envs/prod/*"], schedule: "*/30 * * * *" },
        { projects: ["*/staging", "sandbox"], enabled: false },
        { dirs: ["envs/prod/payments"], schedule: "0 0 * * *" },
      ],
    };
    expect(effectiveDrift(server, top, undefined, { name: "payments", dir: "envs/prod/payments" })).toMatchObject({ enabled: true, schedule: { expression: "*/30 * * * *" } });
    expect(effectiveDrift(server, top, undefined, { name: "web/staging", dir: "projects/web/staging" })).toMatchObject({ enabled: false, schedule: { expression: "0 6 * * *" } });
    expect(effectiveDrift(server, top, undefined, { name: "sandbox", dir: "sandbox" }).enabled).toBe(false);
    expect(effectiveDrift(server, top, { schedule: "1 1 * * *" }, { name: "payments", dir: "envs/prod/payments" })).toMatchObject({ schedule: { expression: "1 1 * * *" } });
    expect(effectiveDrift(server, top, undefined, { name: "other", dir: "envs/dev/other" })).toMatchObject({ enabled: true, schedule: { expression: "0 6 * * *" } });
    // A project at the repository root is the directory ".".
    expect(effectiveDrift(server, { rules: [{ dirs: ["."], enabled: false }] }, undefined, { name: "root", dir: "" }).enabled).toBe(false);
  });

  it("due once per slot; not while started; never checked is due at once; jitter shifts the schedule", () => {
    const noon = at("2026-12-05T12:00:00Z");
    const slot = at("2026-12-05T05:17:00Z");
    expect(dueSlot(daily, noon, 0, undefined)).toBe(slot);
    expect(dueSlot(daily, noon, 0, { scheduledFor: at("2026-12-04T05:17:00Z"), state: "in-sync" })).toBe(slot);
    expect(dueSlot(daily, noon, 0, { scheduledFor: slot, state: "drifted" })).toBeNull();
    expect(dueSlot(daily, noon, 0, { scheduledFor: at("2026-12-04T05:17:00Z"), state: "started" })).toBeNull();
    // Ten minutes of jitter: at 05:20 today's slot is not due yet, yesterday's was done.
    const jitter = 10 * 60_000;
    expect(dueSlot(daily, at("2026-12-05T05:20:00Z"), jitter, { scheduledFor: at("2026-12-04T05:17:00Z"), state: "in-sync" })).toBeNull();
    expect(dueSlot(daily, at("2026-12-05T05:27:00Z"), jitter, { scheduledFor: at("2026-12-04T05:17:00Z"), state: "in-sync" })).toBe(slot);
    expect(nextDue(daily, noon, jitter)).toBe(at("2026-12-06T05:27:00Z"));
  });

  it("jitter is stable per repository, whole minutes, within the bound", () => {
    expect(jitterFor("acme/infra", 300_000)).toBe(jitterFor("acme/infra", 300_000));
    for (const r of ["a/b", "acme/infra", "x/y"]) {
      const j = jitterFor(r, 300_000);
      expect(j % 60_000).toBe(0);
      expect(j).toBeGreaterThanOrEqual(0);
      expect(j).toBeLessThan(300_000);
    }
    expect(jitterFor("acme/infra", 0)).toBe(0);
    expect(parseCronSchedule("17 5 * * *").ok).toBe(true);
  });
});
