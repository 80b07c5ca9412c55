/**
 * The GitHub App server, measured as it runs in production: `node dist/main.js` against the fake
 * GitHub, real git, real tofu.
 *  - delivery → final summary for one sample project, against raw tofu on a fresh copy (ratio);
 *  - webhook ack latency of 500 signed deliveries from 50 concurrent clients while 4 plans run.
 */
import { fork } from "node:child_process";
import { Worker } from "node:worker_threads";
import { examplePayload, signedWebhook } from "../src/simulator/index.js";
import { commentAdaptation } from "../src/simulator/payload-from-state.js";
import { NAME, OWNER, SECRET, startHarness, type Harness } from "../test/server/server-harness.js";
import { median, type BenchRow } from "./bench-table.js";
import { timeRawTofu, toolchainEnv } from "./plan-bench.js";

/** A plan of a few seconds: 2,000 resources. */
const LOAD = (i: number) => `resource "terraform_data" "x" {\n  count = 2000\n  input = "${i}-\${count.index}"\n}\n`;

/** performance.now() of the fake GitHub's latest answer. */
function lastRequestAt(h: Harness): number {
  const at = h.fake.requests.at(-1)?.at;
  return at === undefined ? 0 : performance.now() - (Date.now() - at);
}

function percentile(values: readonly number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] as number;
}

async function deliveryToSummary(h: Harness): Promise<BenchRow> {
  const statuses = (sha: string) => Object.fromEntries(h.fake.state.latestStatuses(OWNER, NAME, sha).map((s) => [s.context, s.state]));
  const first = await h.openPullRequest("bench-kirare", { "projects/kirare/bench.tf": `resource "terraform_data" "b0" {}\n` });
  // The first run also clones the mirror and fills the schema cache: a server's first PR, not counted.
  await h.waitFor("first plan", () => statuses(first.sha)["tfgate/plan"] === "success", 180_000);
  const tfgate: number[] = [];
  const raw: number[] = [];
  for (let i = 1; i <= 3; i++) {
    raw.push(timeRawTofu(h.repo.dir, toolchainEnv()));
    const sha = await h.push(first.number, "bench-kirare", { "projects/kirare/bench.tf": `resource "terraform_data" "b${i}" {}\n` });
    // From the webhook's delivery (the push's commit in the test repository is not tfgate's time).
    const started = h.lastDeliveryAt;
    // The final summary comment: this head, planned (statuses follow it, paced by GitHub's limits).
    await h.waitFor("summary of the push", () => {
      const summary = h.summary(first.number);
      return summary.includes(sha) && summary.includes("📝 changes") && !summary.includes("🔄 planning") && !summary.includes("⏳ queued");
    }, 180_000);
    tfgate.push(performance.now() - started);
    // Let this round's statuses go out (GitHub's pacing: a second between writes) before the next
    // push, as real pushes do: the server has written nothing for over a second.
    await h.waitFor(
      "statuses of the push",
      () => statuses(sha)["tfgate/plan"] === "success" && statuses(sha)["tfgate/apply"] !== undefined && performance.now() - lastRequestAt(h) > 1200,
      60_000,
    );
  }
  const ratio = median(tfgate) / median(raw);
  return {
    name: "server: delivery → final summary, one project / raw tofu init+plan+show -json",
    value: ratio,
    unit: "ratio",
    goal: "≤ 1.15",
    ok: ratio <= 1.15,
    note: `${(median(tfgate) / 1000).toFixed(2)} s vs ${(median(raw) / 1000).toFixed(2)} s, median of 3`,
  };
}

async function ackLatency(h: Harness): Promise<BenchRow[]> {
  // 500 distinct comments: the same payload under 500 delivery ids would be one event and 499 replays.
  const signed = await Promise.all(
    Array.from({ length: 500 }, (_, i) => {
      const c = h.fake.state.addComment({ owner: OWNER, repo: NAME, issueNumber: 1, user: "alice", body: "Thanks, looks good." });
      return signedWebhook("issue_comment", examplePayload("issue_comment", "created", commentAdaptation(h.fake.state, c.id)), SECRET, { deliveryId: `ack-${i}-${c.id}` });
    }),
  );
  // The floor first, while nothing runs.
  const floor = await ackFloor(signed);
  const shas: string[] = [];
  for (let i = 0; i < 4; i++) shas.push((await h.openPullRequest(`load-${i}`, { [`projects/load${i}/main.tf`]: LOAD(i) })).sha);
  // Give the server a moment to start the plans (init is under way when the burst begins).
  await new Promise((r) => setTimeout(r, 1000));
  const { latencies, failures } = await runClients(`${h.url}/webhooks`, signed);
  const stillPlanning = shas.filter((sha) => h.fake.state.latestStatuses(OWNER, NAME, sha).every((s) => s.context !== "tfgate/plan" || s.state === "pending")).length;
  if (failures > 0) throw new Error(`${failures} deliveries were not accepted`);
  const p99 = percentile(latencies, 99);
  return [
    floor,
    { name: "server: webhook ack p50, 500 deliveries, 50 clients, 4 plans running", value: percentile(latencies, 50), unit: "ms", goal: "-", ok: true, note: `${stillPlanning} of 4 plans still running at the end of the burst` },
    { name: "server: webhook ack p99, same run", value: p99, unit: "ms", goal: "< 20 ms", ok: p99 < 20, note: `p90 ${percentile(latencies, 90).toFixed(0)} ms, p95 ${percentile(latencies, 95).toFixed(0)} ms, max ${Math.max(...latencies).toFixed(0)} ms` },
  ];
}

/** The same clients and deliveries against a server that does nothing (bare-ack-server.ts), idle. */
async function ackFloor(signed: readonly { headers: Record<string, string>; body: string }[]): Promise<BenchRow> {
  const child = fork(new URL("./bare-ack-server.js", import.meta.url), [], { stdio: ["ignore", "pipe", "inherit", "ipc"] });
  try {
    const port = await new Promise<string>((resolve) => child.stdout?.once("data", (d: Buffer) => resolve(d.toString().trim())));
    const { latencies } = await runClients(`http://127.0.0.1:${port}/webhooks`, signed);
    return {
      name: "floor: the same clients against a bare node:http server answering 202 (no work, nothing else running)",
      value: percentile(latencies, 99),
      unit: "ms",
      goal: "-",
      ok: true,
      note: `p99; p50 ${percentile(latencies, 50).toFixed(0)} ms`,
    };
  } finally {
    child.kill();
  }
}

function runClients(url: string, deliveries: readonly { headers: Record<string, string>; body: string }[]): Promise<{ latencies: number[]; failures: number }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./ack-clients.js", import.meta.url), { workerData: { url, clients: 50, deliveries } });
    worker.once("message", resolve);
    worker.once("error", reject);
  });
}

export async function benchServer(): Promise<BenchRow[]> {
  const h = await startHarness();
  try {
    const ratio = await deliveryToSummary(h);
    const ack = await ackLatency(h);
    if (h.fake.violations.length > 0) throw new Error(`GitHub contract violations: ${JSON.stringify(h.fake.violations.slice(0, 3))}`);
    return [ratio, ...ack];
  } finally {
    await h.cleanup();
  }
}
