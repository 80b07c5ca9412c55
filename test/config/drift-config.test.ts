import { describe, expect, it } from "vitest";
import { formatConfigProblem, parseRepoConfig } from "../../src/config/repo-config.js";
import { parseServerConfig } from "../../src/config/server-config.js";

const base = { TFGATE_WEBHOOK_SECRET: "0123456789abcdef0123", TFGATE_APP_ID: "42", TFGATE_PRIVATE_KEY_FILE: "/keys/app.pem" };

describe("drift settings", () => {
  it("server: on by default, daily schedule, jitter; each can be set; a bad schedule names the variable", () => {
    const d = parseServerConfig({ ...base, TFGATE_CONCURRENCY: "4" });
    expect(d.ok && d.config.drift).toEqual({ enabled: true, schedule: "17 5 * * *", jitterMs: 300_000, concurrency: 2 });
    const set = parseServerConfig({ ...base, TFGATE_DRIFT: "false", TFGATE_DRIFT_SCHEDULE: "0 */6 * * *", TFGATE_DRIFT_JITTER_SECONDS: "0", TFGATE_CONCURRENCY: "4", TFGATE_DRIFT_CONCURRENCY: "3" });
    expect(set.ok && set.config.drift).toMatchObject({ enabled: false, schedule: "0 */6 * * *", jitterMs: 0, concurrency: 3 });
    // At least one drift plan at a time, and never more than the queue's slots.
    const one = parseServerConfig({ ...base, TFGATE_CONCURRENCY: "1" });
    expect(one.ok && one.config.drift.concurrency).toBe(1);
    const capped = parseServerConfig({ ...base, TFGATE_CONCURRENCY: "2", TFGATE_DRIFT_CONCURRENCY: "8" });
    expect(capped.ok && capped.config.drift.concurrency).toBe(2);
    const zero = parseServerConfig({ ...base, TFGATE_DRIFT_CONCURRENCY: "0" });
    expect(zero.ok ? "" : zero.problems.join("\n")).toContain("TFGATE_DRIFT_CONCURRENCY");
    const bad = parseServerConfig({ ...base, TFGATE_DRIFT_SCHEDULE: "0 25 * * *" });
    expect(bad.ok ? "" : bad.problems.join("\n")).toContain('TFGATE_DRIFT_SCHEDULE: hour "25": values go from 0 to 23');
  });

  it("tfgate.yaml: top-level and per-project drift; errors carry file, line and key", () => {
    const ok = parseRepoConfig("drift:\n  schedule: '0 3 * * 1'\nprojects:\n  - dir: projects/a\n    name: a\n    drift: { enabled: false }\n");
    expect(ok.ok && ok.config.drift).toEqual({ schedule: "0 3 * * 1" });
    expect(ok.ok && ok.config.projects[0]?.drift).toEqual({ enabled: false });
    const bad = parseRepoConfig("version: 1\ndrift:\n  schedule: every day\nprojects:\n  - dir: projects/a\n    name: a\n    drift:\n      enabled: sometimes\n      when: now\n");
    const found = bad.ok ? [] : bad.problems.map(formatConfigProblem);
    expect(found).toHaveLength(3);
    expect(found).toEqual(expect.arrayContaining([
      "tfgate.yaml:3: drift.schedule: a cron schedule has 5 fields (minute hour day-of-month month day-of-week), got 2",
      expect.stringMatching(/^tfgate\.yaml:8: projects\[0\]\.drift\.enabled: /),
      expect.stringMatching(/^tfgate\.yaml:9: projects\[0\]\.drift\.when: unknown key/),
    ]));
  });

  it("tfgate.yaml: drift rules for groups of projects; a rule that names no projects or dirs, or a rule key in a project, is an error at its line", () => {
    const ok = parseRepoConfig("drift:\n  rules:\n    - dirs: ['envs/prod/*']\n      schedule: '*/30 * * * *'\n    - projects: ['*/staging']\n      enabled: false\n");
    expect(ok.ok && ok.config.drift).toEqual({ rules: [{ dirs: ["envs/prod/*"], schedule: "*/30 * * * *" }, { projects: ["*/staging"], enabled: false }] });
    const bad = parseRepoConfig("drift:\n  rules:\n    - schedule: '0 1 * * *'\nprojects:\n  - dir: projects/a\n    name: a\n    drift: { rules: [] }\n");
    const found = bad.ok ? [] : bad.problems.map(formatConfigProblem);
    expect(found).toEqual(expect.arrayContaining([
      "tfgate.yaml:3: drift.rules[0]: a drift rule needs `projects` or `dirs` (or both) to say which projects it is for",
      expect.stringMatching(/^tfgate\.yaml:7: projects\[0\]\.drift\.rules: unknown key/),
    ]));
  });
});
