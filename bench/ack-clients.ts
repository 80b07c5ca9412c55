/**
 * Load clients for the ack-latency benchmark, in a worker thread: their timings must not wait on
 * the fake GitHub (schema validation) that shares the benchmark's main thread. Plain node:http
 * with keep-alive: fetch costs about a millisecond of client CPU per request, which with 50
 * clients would be measured as server latency.
 */
import { Agent, request } from "node:http";
import { parentPort, workerData } from "node:worker_threads";

interface Job {
  readonly url: string;
  readonly clients: number;
  readonly deliveries: readonly { headers: Record<string, string>; body: string }[];
}

const job = workerData as Job;
const agent = new Agent({ keepAlive: true, maxSockets: job.clients });
const target = new URL(job.url);
const latencies: number[] = [];
let failures = 0;
let next = 0;

function post(d: Job["deliveries"][number]): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: target.hostname, port: target.port, path: target.pathname, method: "POST", agent, headers: { ...d.headers, "content-length": Buffer.byteLength(d.body) } },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end(d.body);
  });
}

async function client(): Promise<void> {
  for (let i = next++; i < job.deliveries.length; i = next++) {
    const t = performance.now();
    const status = await post(job.deliveries[i] as Job["deliveries"][number]);
    latencies.push(performance.now() - t);
    if (status !== 202) failures++;
  }
}
await Promise.all(Array.from({ length: job.clients }, client));
agent.destroy();
parentPort?.postMessage({ latencies, failures });
