import { describe, expect, it } from "vitest";
import { DEFAULT_HOST_PATH, parseEngineConfig } from "../../src/config/engine-config.js";
import { parseServerConfig } from "../../src/config/server-config.js";

describe("parseEngineConfig (how tofu runs, for the server and the CLI alike)", () => {
  it("applies the defaults", () => {
    expect(parseEngineConfig({ GOMAXPROCS: "2" }, 1)).toEqual({
      ok: true,
      config: { terraformBinary: "tofu", terraformEnv: {}, lockTimeout: "60s", pluginTls: false, goMaxProcs: undefined, hostPath: DEFAULT_HOST_PATH, allowRunSteps: false },
    });
  });

  it("reads every variable; an empty one counts as unset", () => {
    const r = parseEngineConfig(
      { TFGATE_TERRAFORM_BINARY: "/opt/tofu", TF_CLI_CONFIG_FILE: "/etc/tofu.tfrc", TFGATE_LOCK_TIMEOUT: "5m", TFGATE_PLUGIN_TLS: "yes", TFGATE_ALLOW_RUN_STEPS: "true", PATH: "/opt/bin", GOMAXPROCS: "" },
      1,
    );
    expect(r).toMatchObject({
      ok: true,
      config: { terraformBinary: "/opt/tofu", terraformEnv: { TF_CLI_CONFIG_FILE: "/etc/tofu.tfrc" }, lockTimeout: "5m", pluginTls: true, hostPath: "/opt/bin", allowRunSteps: true },
    });
    expect(r.ok && r.config.goMaxProcs).toBeGreaterThanOrEqual(1);
  });

  it("names every invalid variable", () => {
    const r = parseEngineConfig({ TFGATE_LOCK_TIMEOUT: "a minute", TFGATE_PLUGIN_TLS: "maybe" }, 1);
    expect(r.ok).toBe(false);
    const problems = r.ok ? "" : r.problems.join("\n");
    expect(problems).toContain("TFGATE_LOCK_TIMEOUT: a duration such as 60s or 5m");
    expect(problems).toContain("TFGATE_PLUGIN_TLS");
  });

  it("is what the server settings hold, with the server's other problems reported alongside", () => {
    const base = { TFGATE_WEBHOOK_SECRET: "s".repeat(20), TFGATE_APP_ID: "1", TFGATE_PRIVATE_KEY: "pem", TFGATE_CONCURRENCY: "1", GOMAXPROCS: "1" };
    const env = { ...base, TFGATE_TERRAFORM_BINARY: "terraform", TF_CLI_CONFIG_FILE: "/x.tfrc", PATH: "/p" };
    const server = parseServerConfig(env);
    const engine = parseEngineConfig(env, 1);
    expect(server.ok && engine.ok && server.config.engine).toEqual(engine.ok && engine.config);
    const both = parseServerConfig({ ...base, TFGATE_PORT: "99999", TFGATE_LOCK_TIMEOUT: "soon" });
    expect(both.ok ? [] : both.problems.map((p) => p.split(":")[0])).toEqual(["TFGATE_PORT", "TFGATE_LOCK_TIMEOUT"]);
  });
});
