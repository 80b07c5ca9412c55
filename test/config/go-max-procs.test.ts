import { describe, expect, it } from "vitest";
import { goMaxProcsFor } from "../../src/config/go-max-procs.js";
import { parseServerConfig } from "../../src/config/server-config.js";

describe("goMaxProcsFor", () => {
  it.each([
    [2, 2, 1],
    [2, 1, 2],
    [8, 3, 2],
    [2, 8, 1],
  ])("%i CPUs, %i jobs at once: %i Go threads per tofu process", (cpus, concurrency, expected) => {
    expect(goMaxProcsFor(cpus, concurrency, {})).toBe(expected);
  });

  it("leaves a GOMAXPROCS the operator set alone", () => {
    expect(goMaxProcsFor(2, 2, { GOMAXPROCS: "4" })).toBeUndefined();
  });

  it("is part of the server settings, with plugin TLS off unless asked for", () => {
    const base = { TFGATE_WEBHOOK_SECRET: "s".repeat(20), TFGATE_APP_ID: "1", TFGATE_PRIVATE_KEY: "pem", TFGATE_CONCURRENCY: "1" };
    const off = parseServerConfig(base);
    const on = parseServerConfig({ ...base, TFGATE_PLUGIN_TLS: "true", GOMAXPROCS: "3" });
    expect(off.ok && on.ok).toBe(true);
    if (!off.ok || !on.ok) return;
    expect(off.config.engine.pluginTls).toBe(false);
    expect(on.config.engine.pluginTls).toBe(true);
    expect(on.config.engine.goMaxProcs).toBeUndefined();
  });
});
