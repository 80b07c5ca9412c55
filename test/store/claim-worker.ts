/**
 * A separate process for the cross-process claim test: opens the store, says "ready", waits for
 * "go" on stdin (so every process claims at the same moment), claims `count` times concurrently
 * and prints the results as one JSON line.
 * Usage: node --import tsx claim-worker.ts <db path> <count> <request json>
 */
import { createInterface } from "node:readline";
import { createSqliteStore } from "../../src/adapters/store/sqlite-store.js";
import type { ApplyClaimRequest } from "../../src/app/ports/jobs.js";

const [path, count, request] = process.argv.slice(2);
if (path === undefined || count === undefined || request === undefined) throw new Error("usage: claim-worker <db> <count> <request json>");
const store = createSqliteStore({ path, busyTimeoutMs: 20_000 });
const lines = createInterface({ input: process.stdin });
process.stdout.write("ready\n");
for await (const line of lines) {
  if (line !== "go") continue;
  const req = JSON.parse(request) as ApplyClaimRequest;
  const results = await Promise.all(Array.from({ length: Number(count) }, () => store.jobs.claimApply(req)));
  process.stdout.write(`${JSON.stringify(results.map((r) => ({ status: r.status, jobId: "jobId" in r ? r.jobId : null })))}\n`);
  break;
}
lines.close();
store.close();
