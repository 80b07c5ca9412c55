#!/usr/bin/env node
/**
 * The tfgate server (`node dist/main.js`, also `tfgate serve`): the GitHub App. Composition root:
 * with cli.ts, the only reader of process.env.
 */
import { createLogger } from "./adapters/logging/create-logger.js";
import type { Logger } from "./app/ports/logger.js";
import { parseServerConfig, secretsOf } from "./config/server-config.js";
import { startTfgateServer } from "./compose/tfgate-server.js";
import { prepareServerRuntime } from "./compose/server-runtime.js";

export async function main(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const parsed = parseServerConfig(env);
  if (!parsed.ok) {
    process.stderr.write(`tfgate: cannot start:\n${parsed.problems.map((p) => `  - ${p}`).join("\n")}\nSee the README's server settings.\n`);
    process.exitCode = 1;
    return;
  }
  const refuse = (problems: readonly string[]) => {
    process.stderr.write(`tfgate: cannot start:\n${problems.map((p) => `  - ${p}`).join("\n")}\n`);
    process.exitCode = 1;
  };
  const prepared = await prepareServerRuntime(parsed.config, env);
  if (!prepared.ok) return refuse(prepared.problems);
  const { runtime } = prepared;
  // Defence in depth: nothing should log secrets, and if something does they do not leave the process.
  const log: Logger = createLogger({ secrets: [...secretsOf(parsed.config), ...runtime.credentials.secrets] });
  for (const warning of prepared.warnings) log.warn({ sandbox: parsed.config.sandbox }, warning);
  if (parsed.config.sandbox === "none") {
    log.warn({ sandbox: "none" }, "TFGATE_SANDBOX=none: plans run without isolation; pull request code can read this server's secrets, every project's credentials and state");
  }
  const server = await startTfgateServer(parsed.config, log, runtime);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "stopping: no new webhooks; running jobs may finish");
    server.close(parsed.config.shutdownGraceMs).then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

// Run when executed directly (node dist/main.js), not when imported by the CLI.
if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((err: unknown) => {
    process.stderr.write(`tfgate: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
