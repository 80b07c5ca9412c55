import { describe, expect, it } from "vitest";
import { parseCredentialsFile } from "../../src/config/credentials-file.js";
import { resolveCredentials } from "../../src/config/project-credentials.js";
import { formatConfigProblem } from "../../src/config/repo-config.js";

const FILE = `version: 1
pass_env: [HTTPS_PROXY, NOT_SET_ANYWHERE]
credentials:
  - projects: ["kirare", "net-*"]
    plan:
      env:
        AWS_ROLE_ARN: { value: "arn:aws:iam::1:role/plan" }
        PG_CONN_STR: { from_env: KIRARE_PG_PLAN }
    apply:
      env:
        AWS_ROLE_ARN: { value: "arn:aws:iam::1:role/apply" }
  - projects: ["net-core"]
    plan:
      env:
        AWS_ROLE_ARN: { value: "arn:aws:iam::1:role/net-core-plan" }
        GOOGLE_CREDENTIALS: { from_file: /etc/tfgate/gcp.json }
  - projects: ["broken"]
    plan:
      env:
        TOKEN: { from_env: MISSING_VARIABLE }
        KEY: { from_file: /nonexistent/key }
`;

function resolved() {
  const parsed = parseCredentialsFile(FILE, "creds.yaml");
  if (!parsed.ok) throw new Error(parsed.problems.map(formatConfigProblem).join("\n"));
  const files: Record<string, string> = { "/etc/tfgate/gcp.json": '{"type":"service_account"}' };
  return resolveCredentials(parsed.file, { KIRARE_PG_PLAN: "postgres://plan@db/kirare", HTTPS_PROXY: "http://proxy:3128" }, (path) => {
    const text = files[path];
    if (text === undefined) throw Object.assign(new Error("no such file"), { code: "ENOENT" });
    return text;
  }, "creds.yaml");
}

describe("credentials file", () => {
  it("gives each project the variables of every matching entry, later entries winning, per stage", () => {
    const c = resolved();
    expect(c.forProject("kirare", "plan")).toEqual({ ok: true, env: { AWS_ROLE_ARN: "arn:aws:iam::1:role/plan", PG_CONN_STR: "postgres://plan@db/kirare" } });
    expect(c.forProject("kirare", "apply")).toEqual({ ok: true, env: { AWS_ROLE_ARN: "arn:aws:iam::1:role/apply" } });
    expect(c.forProject("net-core", "plan")).toEqual({
      ok: true,
      env: { AWS_ROLE_ARN: "arn:aws:iam::1:role/net-core-plan", PG_CONN_STR: "postgres://plan@db/kirare", GOOGLE_CREDENTIALS: '{"type":"service_account"}' },
    });
    expect(c.forProject("ortensia", "plan")).toEqual({ ok: true, env: {} });
  });

  it("reports a missing variable or file for the projects that use it, naming both", () => {
    const r = resolved().forProject("broken", "plan");
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toContain("TOKEN comes from tfgate's environment variable MISSING_VARIABLE, which is not set (creds.yaml)");
    expect(!r.ok && r.message).toContain("KEY comes from the file /nonexistent/key, which cannot be read: ENOENT");
    expect(resolved().forProject("broken", "apply")).toEqual({ ok: true, env: {} });
  });

  it("knows every value it may inject (for the scrubber) and passes only listed variables that are set", () => {
    const c = resolved();
    expect(c.passEnv).toEqual({ HTTPS_PROXY: "http://proxy:3128" });
    expect(c.secrets).toEqual(expect.arrayContaining(["arn:aws:iam::1:role/apply", "postgres://plan@db/kirare", '{"type":"service_account"}', "http://proxy:3128"]));
  });

  it("applies an entry naming repositories only in those repositories, never where the repository is unknown", () => {
    const parsed = parseCredentialsFile(`version: 1\ncredentials:\n  - projects: ["app"]\n    repos: ["acme/infra-*"]\n    plan:\n      env:\n        T: { value: scoped-value }\n`, "c.yaml");
    if (!parsed.ok) throw new Error("invalid");
    const c = resolveCredentials(parsed.file, {}, () => "");
    expect(c.forProject("app", "plan", "acme/infra-prod")).toEqual({ ok: true, env: { T: "scoped-value" } });
    expect(c.forProject("app", "plan", "ACME/Infra-Prod")).toEqual({ ok: true, env: { T: "scoped-value" } });
    expect(c.forProject("app", "plan", "mallory/infra-prod")).toEqual({ ok: true, env: {} });
    expect(c.forProject("app", "plan")).toEqual({ ok: true, env: {} });
  });

  it("names the file, line and key of every mistake", () => {
    const text = `version: 2
pass_env: ["1BAD"]
credentials:
  - projects: []
    plan:
      env:
        HOME: { value: x }
        A: { from_env: B, value: c }
        F: { from_file: relative/path }
    deploy: {}
`;
    const r = parseCredentialsFile(text, "c.yaml");
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problems.map(formatConfigProblem)).toEqual([
      "c.yaml:1: version: must be 1",
      "c.yaml:2: pass_env[0]: a variable name uses letters, digits and '_', and does not start with a digit",
      "c.yaml:4: credentials[0].projects: name at least one project (globs such as \"net-*\" allowed)",
      "c.yaml:7: credentials[0].plan.env.HOME: tfgate sets this variable itself",
      "c.yaml:8: credentials[0].plan.env.A: exactly one of { value: ... }, { from_env: NAME } or { from_file: /path }",
      "c.yaml:9: credentials[0].plan.env.F.from_file: must be an absolute path",
      "c.yaml:10: credentials[0].deploy: unknown key",
    ]);
    expect(parseCredentialsFile("version: [", "c.yaml").ok).toBe(false);
  });
});
