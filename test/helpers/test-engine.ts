import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TofuRunner } from "../../src/adapters/runner/tofu-runner.js";
import { createEngineRunner, createPlanEngine, type EngineSettings, type PlanEngine } from "../../src/compose/plan-engine.js";
import { ensureToolchain } from "./toolchain.js";

/** Engine settings on the toolchain's tofu and provider mirror; tests run tofu as the server does: sandboxed. */
function testSettings(dataDir: string, settings: Partial<EngineSettings>): EngineSettings {
  const tc = ensureToolchain();
  return {
    dataDir,
    terraformBinary: tc.tofu,
    concurrency: 2,
    planTimeoutMs: 120_000,
    lockTimeout: "0s",
    killGraceMs: 15_000,
    sandbox: "bwrap",
    hostPath: process.env["PATH"] ?? "/usr/bin:/bin",
    gitEnv: process.env,
    ...settings,
    terraformEnv: { TF_CLI_CONFIG_FILE: tc.cliConfig, ...settings.terraformEnv },
  };
}

/** A plan engine on the toolchain's tofu and provider mirror, in a fresh data directory. */
export function createTestEngine(prefix: string, settings: Partial<EngineSettings> = {}): { engine: PlanEngine; dataDir: string; cleanup(): void } {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  const engine = createPlanEngine(testSettings(dataDir, settings), { loadHclParser: () => import("@cdktn/hcl2json") });
  return {
    engine,
    dataDir,
    cleanup() {
      engine.closeReaders();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The engine's tofu runner on the toolchain (sandboxed unless `sandbox: "none"`), without an engine. */
export function createTestRunner(settings: Partial<EngineSettings> = {}): TofuRunner {
  return createEngineRunner(testSettings("/nonexistent", settings));
}
