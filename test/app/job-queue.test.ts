import { describe, expect, it } from "vitest";
import { createJobQueue } from "../../src/app/job-queue.js";

/** A job that runs until released or aborted, recording what happened. */
function controllable() {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  const log: string[] = [];
  const run = (name: string) => async (signal: AbortSignal) => {
    log.push(`start ${name}`);
    await Promise.race([released, new Promise((r) => signal.addEventListener("abort", r, { once: true }))]);
    // Like tofu after SIGINT: finish cleanly a moment later.
    await new Promise((r) => setTimeout(r, 5));
    log.push(`${signal.aborted ? "aborted" : "end"} ${name}`);
    return name;
  };
  return { release, run, log };
}

describe("createJobQueue", () => {
  it("respects the global concurrency limit", async () => {
    const q = createJobQueue({ concurrency: 2 });
    let running = 0;
    let peak = 0;
    const job = (i: number) =>
      q.submit({
        id: `j${i}`,
        exclusiveKey: `p${i}`,
        run: async () => {
          running++;
          peak = Math.max(peak, running);
          await new Promise((r) => setTimeout(r, 10));
          running--;
          return i;
        },
      });
    const results = await Promise.all([0, 1, 2, 3, 4, 5].map(job));
    expect(results.map((r) => r.status)).toEqual(Array(6).fill("done"));
    expect(peak).toBe(2);
  });

  it("runs one job per project at a time, in submission order", async () => {
    const q = createJobQueue({ concurrency: 4 });
    const c = controllable();
    const a = q.submit({ id: "a", exclusiveKey: "repo/kirare", run: c.run("a") });
    const b = q.submit({ id: "b", exclusiveKey: "repo/kirare", run: c.run("b") });
    await new Promise((r) => setTimeout(r, 20));
    expect(c.log).toEqual(["start a"]);
    c.release();
    await Promise.all([a, b]);
    expect(c.log).toEqual(["start a", "end a", "start b", "end b"]);
  });

  it("a newer job supersedes a running one and starts only after it stopped", async () => {
    const q = createJobQueue({ concurrency: 4 });
    const c = controllable();
    const old = q.submit({ id: "old", exclusiveKey: "repo/kirare", supersedeKey: "pr1/kirare", run: c.run("old") });
    await new Promise((r) => setTimeout(r, 10));
    const fresh = q.submit({ id: "new", exclusiveKey: "repo/kirare", supersedeKey: "pr1/kirare", run: c.run("new") });
    expect(await old).toEqual({ status: "cancelled", reason: "superseded by job new" });
    c.release();
    expect(await fresh).toEqual({ status: "done", value: "new" });
    expect(c.log).toEqual(["start old", "aborted old", "start new", "end new"]);
  });

  it("a superseded job that is still waiting never starts", async () => {
    const q = createJobQueue({ concurrency: 1 });
    const c = controllable();
    const blocker = q.submit({ id: "blocker", exclusiveKey: "other", run: c.run("blocker") });
    const waiting = q.submit({ id: "w1", exclusiveKey: "k", supersedeKey: "s", run: c.run("w1") });
    const newer = q.submit({ id: "w2", exclusiveKey: "k", supersedeKey: "s", run: c.run("w2") });
    c.release();
    expect((await waiting).status).toBe("cancelled");
    expect((await newer).status).toBe("done");
    await blocker;
    expect(c.log).not.toContain("start w1");
  });

  it("cancels by tag, reports failures, and settles onIdle", async () => {
    const q = createJobQueue({ concurrency: 2 });
    const c = controllable();
    const a = q.submit({ id: "a", exclusiveKey: "a", tags: { pr: "7" }, run: c.run("a") });
    const b = q.submit({ id: "b", exclusiveKey: "b", tags: { pr: "8" }, run: async () => { throw new Error("boom"); } });
    await new Promise((r) => setTimeout(r, 5));
    expect(q.cancel((j) => j.tags["pr"] === "7", "pull request closed")).toBe(1);
    await q.onIdle();
    expect(await a).toEqual({ status: "cancelled", reason: "pull request closed" });
    const rb = await b;
    expect(rb.status === "failed" && (rb.error as Error).message).toBe("boom");
    expect(q.stats()).toEqual({ waiting: 0, running: 0 });
  });
  it("a waiting job of higher priority starts before background jobs submitted earlier", async () => {
    const q = createJobQueue({ concurrency: 1 });
    const c = controllable();
    const order: string[] = [];
    const job = (id: string, priority?: number) => q.submit({ id, exclusiveKey: id, priority, run: async () => void order.push(id) });
    const blocker = q.submit({ id: "blocker", exclusiveKey: "blocker", run: c.run("blocker") });
    const done = [job("drift-1", -1), job("drift-2", -1), job("pr-1"), job("pr-2", 0)];
    await new Promise((r) => setTimeout(r, 10));
    c.release();
    await Promise.all([blocker, ...done]);
    expect(order).toEqual(["pr-1", "pr-2", "drift-1", "drift-2"]);
  });

  it("a share caps its jobs below the queue's limit: a pull request's plan starts while background jobs wait", async () => {
    const q = createJobQueue({ concurrency: 2 });
    const c = controllable();
    const share = { key: "drift", max: 1 };
    const drift = ["d1", "d2", "d3"].map((id) => q.submit({ id, exclusiveKey: id, priority: -1, share, run: c.run(id) }));
    await new Promise((r) => setTimeout(r, 10));
    expect(c.log).toEqual(["start d1"]);
    expect(q.stats()).toEqual({ running: 1, waiting: 2 });
    const pr = q.submit({ id: "pr", exclusiveKey: "pr", run: c.run("pr") });
    await new Promise((r) => setTimeout(r, 10));
    expect(c.log).toEqual(["start d1", "start pr"]);
    c.release();
    await Promise.all([pr, ...drift]);
    // Released together, the rest of the share still ran one at a time.
    expect(c.log.filter((l) => l.startsWith("start"))).toEqual(["start d1", "start pr", "start d2", "start d3"]);
    expect(c.log.indexOf("start d3")).toBeGreaterThan(c.log.indexOf("end d2"));
  });

  it("a background job waiting for its share does not hold up a pull request's job of the same project", async () => {
    const q = createJobQueue({ concurrency: 3 });
    const c = controllable();
    const share = { key: "drift", max: 1 };
    const d1 = q.submit({ id: "d1", exclusiveKey: "repo/a", priority: -1, share, run: c.run("d1") });
    const d2 = q.submit({ id: "d2", exclusiveKey: "repo/b", priority: -1, share, run: c.run("d2") });
    await new Promise((r) => setTimeout(r, 10));
    // b's drift check waits for the share; b's pull request plan starts at once all the same.
    const pr = q.submit({ id: "pr", exclusiveKey: "repo/b", run: c.run("pr") });
    await new Promise((r) => setTimeout(r, 10));
    expect(c.log).toEqual(["start d1", "start pr"]);
    c.release();
    await Promise.all([d1, d2, pr]);
    // Still one job per project: d2 ran after the pull request's job of b ended.
    expect(c.log.indexOf("start d2")).toBeGreaterThan(c.log.indexOf("end pr"));
  });
});
