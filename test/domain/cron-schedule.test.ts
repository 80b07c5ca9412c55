import { describe, expect, it } from "vitest";
import { parseCronSchedule, type CronSchedule } from "../../src/domain/drift/cron-schedule.js";

function schedule(expression: string): CronSchedule {
  const parsed = parseCronSchedule(expression);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.schedule;
}

const at = (iso: string) => Date.parse(iso);

describe("parseCronSchedule", () => {
  it.each([
    ["17 5 * * *", "2026-12-05T05:17:00Z", true],
    ["17 5 * * *", "2026-12-05T05:18:00Z", false],
    ["*/15 * * * *", "2026-12-05T10:45:00Z", true],
    ["*/15 * * * *", "2026-12-05T10:44:00Z", false],
    ["0 9-17/4 * * mon-fri", "2026-12-04T13:00:00Z", true], // a Friday
    ["0 9-17/4 * * mon-fri", "2026-12-05T13:00:00Z", false], // a Saturday
    ["0 0 1 jan *", "2027-01-01T00:00:00Z", true],
    ["0 0 * * 7", "2026-12-06T00:00:00Z", true], // 7 is Sunday too
    // Both day fields restricted: either matching is enough (Vixie cron).
    ["0 0 13 * 5", "2026-11-13T00:00:00Z", true],
    ["0 0 13 * 5", "2026-12-04T00:00:00Z", true],
    ["0 0 13 * 5", "2026-12-05T00:00:00Z", false],
    ["30 1,13 * * *", "2026-12-05T13:30:00Z", true],
  ])("%s at %s: %s", (expression, when, expected) => {
    expect(schedule(expression).matches(at(when))).toBe(expected);
  });

  it.each([["* * * *"], ["60 * * * *"], ["* 24 * * *"], ["* * 0 * *"], ["5-1 * * * *"], ["*/0 * * * *"], ["x * * * *"], ["* * * foo *"]])("refuses %s", (expression) => {
    const parsed = parseCronSchedule(expression);
    expect(parsed.ok).toBe(false);
  });

  it("previous: the latest due minute at or before a time", () => {
    const s = schedule("17 5 * * *");
    expect(s.previous(at("2026-12-05T12:00:30Z"))).toBe(at("2026-12-05T05:17:00Z"));
    expect(s.previous(at("2026-12-05T05:17:59Z"))).toBe(at("2026-12-05T05:17:00Z"));
    expect(s.previous(at("2026-12-05T05:16:59Z"))).toBe(at("2026-12-04T05:17:00Z"));
    expect(schedule("0 0 29 2 *").previous(at("2026-12-05T00:00:00Z"), 30)).toBeNull();
  });

  it("next: the first due minute after a time", () => {
    const s = schedule("17 5 * * *");
    expect(s.next(at("2026-12-05T05:17:00Z"))).toBe(at("2026-12-06T05:17:00Z"));
    expect(s.next(at("2026-12-05T05:16:59Z"))).toBe(at("2026-12-05T05:17:00Z"));
    expect(schedule("0 0 29 2 *").next(at("2026-12-05T00:00:00Z"), 30)).toBeNull();
  });
});
