import { describe, expect, it } from "vitest";
import { parseServerConfig } from "../../src/config/server-config.js";

const base = { TFGATE_WEBHOOK_SECRET: "0123456789abcdef0123", TFGATE_APP_ID: "42", TFGATE_PRIVATE_KEY_FILE: "/keys/app.pem" };

describe("parseServerConfig", () => {
  it("refuses to start without a webhook secret, naming the variable", () => {
    const { TFGATE_WEBHOOK_SECRET: _omit, ...rest } = base;
    expect(parseServerConfig(rest)).toEqual({ ok: false, problems: ["TFGATE_WEBHOOK_SECRET is required"] });
    expect(parseServerConfig({ ...base, TFGATE_WEBHOOK_SECRET: "" })).toEqual({ ok: false, problems: ["TFGATE_WEBHOOK_SECRET is required"] });
  });

  it("names every invalid setting", () => {
    const r = parseServerConfig({ ...base, TFGATE_APP_ID: "abc", TFGATE_PORT: "99999", TFGATE_GITHUB_API_URL: "not a url" });
    expect(r.ok).toBe(false);
    const problems = r.ok ? [] : r.problems.join("\n");
    expect(problems).toContain("TFGATE_APP_ID: must be the GitHub App's numeric id");
    expect(problems).toContain("TFGATE_PORT");
    expect(problems).toContain("TFGATE_GITHUB_API_URL");
  });

  it("needs exactly one of the private key settings", () => {
    expect(parseServerConfig({ ...base, TFGATE_PRIVATE_KEY: "-----BEGIN…" })).toMatchObject({ ok: false });
    const { TFGATE_PRIVATE_KEY_FILE: _f, ...noKey } = base;
    expect(parseServerConfig(noKey)).toMatchObject({ ok: false });
  });

  it("reads protected bases as a list of globs; by default only the default branch is one", () => {
    const listed = parseServerConfig({ ...base, TFGATE_PROTECTED_BASES: " main, release/* " });
    expect(listed.ok && listed.config.protectedBases).toEqual(["main", "release/*"]);
    const none = parseServerConfig(base);
    expect(none.ok && none.config.protectedBases).toEqual([]);
    const bad = parseServerConfig({ ...base, TFGATE_PROTECTED_BASES: "main,,release x" });
    expect(bad.ok ? [] : bad.problems.join("\n")).toContain("TFGATE_PROTECTED_BASES: a comma-separated list of branch names or globs (release/*)");
  });

  it("reads the apply floor (teams, requirements); none by default; a bad name is refused", () => {
    const set = parseServerConfig({ ...base, TFGATE_APPLY_FLOOR_TEAMS: "acme/sre, acme/platform", TFGATE_APPLY_FLOOR_REQUIRE: "up_to_date_with_base,checks_passing" });
    expect(set.ok && set.config.applyFloor).toEqual({ teams: ["acme/sre", "acme/platform"], require: ["up_to_date_with_base", "checks_passing"] });
    const none = parseServerConfig(base);
    expect(none.ok && none.config.applyFloor).toEqual({ teams: [], require: [] });
    const bad = parseServerConfig({ ...base, TFGATE_APPLY_FLOOR_REQUIRE: "tests_green", TFGATE_APPLY_FLOOR_TEAMS: "sre" });
    const problems = bad.ok ? "" : bad.problems.join("\n");
    expect(problems).toContain("TFGATE_APPLY_FLOOR_REQUIRE: a comma-separated list of up_to_date_with_base, checks_passing, mergeable");
    expect(problems).toContain("TFGATE_APPLY_FLOOR_TEAMS: a comma-separated list of org/team");
  });

  it("applies defaults (GitHub.com, port 8080, drafts skipped)", () => {
    const r = parseServerConfig(base);
    expect(r.ok && r.config).toMatchObject({
      githubApiUrl: "https://api.github.com",
      gitBaseUrl: "https://github.com",
      port: 8080,
      planDrafts: false,
      privateKey: { file: "/keys/app.pem" },
      engine: { lockTimeout: "60s", terraformBinary: "tofu", terraformEnv: {}, pluginTls: false },
    });
  });

  it("bounds the webhook bodies held at once: twice the largest body by default, never less than one", () => {
    const r = parseServerConfig(base);
    expect(r.ok && r.config).toMatchObject({ maxBodyBytes: 25 * 1024 * 1024, bodyBudgetBytes: 50 * 1024 * 1024 });
    expect(parseServerConfig({ ...base, TFGATE_MAX_BODY_BYTES: "1000" })).toMatchObject({ ok: true, config: { bodyBudgetBytes: 2000 } });
    expect(parseServerConfig({ ...base, TFGATE_MAX_BODY_BYTES: "1000", TFGATE_BODY_BUDGET_BYTES: "1000" })).toMatchObject({ ok: true, config: { bodyBudgetBytes: 1000 } });
    expect(parseServerConfig({ ...base, TFGATE_MAX_BODY_BYTES: "1000", TFGATE_BODY_BUDGET_BYTES: "999" })).toEqual({
      ok: false,
      problems: ["TFGATE_BODY_BUDGET_BYTES: must be at least TFGATE_MAX_BODY_BYTES (1000), or no delivery of the largest size could ever be read"],
    });
    expect(parseServerConfig({ ...base, TFGATE_BODY_BUDGET_BYTES: "lots" })).toMatchObject({ ok: false, problems: [expect.stringContaining("TFGATE_BODY_BUDGET_BYTES")] });
  });

  it("shows results as check runs by default; statuses or both on request; anything else is refused by name", () => {
    const byDefault = parseServerConfig(base);
    expect(byDefault.ok && byDefault.config.results).toBe("checks");
    for (const results of ["checks", "statuses", "both"] as const) {
      const r = parseServerConfig({ ...base, TFGATE_RESULTS: results });
      expect(r.ok && r.config.results).toBe(results);
    }
    const bad = parseServerConfig({ ...base, TFGATE_RESULTS: "check-runs" });
    expect(bad.ok ? "" : bad.problems.join("\n")).toContain("TFGATE_RESULTS: checks (the default), statuses (for an App without checks: write) or both");
  });
});
