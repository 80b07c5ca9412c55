/**
 * `npm run bench`: every benchmark of tfgate, measured in one run, printed as one table.
 * Speed goals live here, never in timed unit tests.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { formatBenchTable, type BenchRow } from "./bench-table.js";
import { benchDetect } from "./detect-bench.js";
import { benchPlans } from "./plan-bench.js";
import { benchPolicy } from "./policy-bench.js";
import { benchServer } from "./server-bench.js";
import { repoRoot } from "../test/helpers/repo-root.js";

const rows: BenchRow[] = [];
const only = process.argv[2];
if (!only || only === "detect") rows.push(...(await benchDetect()));
if (!only || only === "policy") rows.push(...(await benchPolicy()));
if (!only || only === "plan") rows.push(...(await benchPlans()));
if (!only || only === "server") rows.push(...(await benchServer()));

const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? "cpu"}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
const table = `${formatBenchTable(rows)}\n\n${new Date().toISOString().slice(0, 10)} on ${machine}`;
console.log(table);
const out = join(repoRoot(), "bench-results");
mkdirSync(out, { recursive: true });
writeFileSync(join(out, "latest.md"), `${table}\n`);
process.exitCode = rows.every((r) => r.ok) ? 0 : 1;
