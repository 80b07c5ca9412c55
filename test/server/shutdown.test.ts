import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestStore } from "../helpers/open-test-store.js";
import { startHeldHcloudApi, slowProject, type HeldHcloudApi } from "../helpers/held-hcloud-api.js";
import { NAME, OWNER } from "./server-harness.js";
import { useHarness } from "./use-harness.js";

describe("GitHub App: SIGTERM (real server, real tofu, a cloud API that does not answer)", () => {
  const h = useHarness({ env: { TFGATE_SHUTDOWN_GRACE_SECONDS: "2" } });
  let api: HeldHcloudApi;
  beforeAll(async () => {
    api = await startHeldHcloudApi();
  });
  afterAll(() => api?.close());

  it("stops taking webhooks, gives running plans the grace period, then stops tofu; the next start reports the plan as interrupted", async () => {
    const { number, sha } = await h.openPullRequest("stuck", slowProject(api, "stuck"));
    await h.waitFor("the plan is running", () => api.requests() > 0);
    const url = h.url;
    const started = Date.now();
    expect(await h.stop("SIGTERM")).toBe(0);
    // The grace period was used (2 s), and tofu stopped on SIGINT well before the kill delay.
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(h.logs.join("\n")).toContain("stopping: no new webhooks; running jobs may finish");
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();

    // The record says the job was cut off, not that someone cancelled it.
    const store = openTestStore(h.dataDir);
    try {
      expect((await store.jobs.recent({ repo: `${OWNER}/${NAME}`, pr: number })).map((j) => j.state)).toEqual(["running"]);
    } finally {
      store.close();
    }
    await h.start();
    const notice = await h.waitFor("interrupted notice", () => h.comments(number).find((c) => c.body.includes("interrupted")));
    expect(notice.body).toContain("stuck");
    await h.waitFor("error status", () => h.statuses(sha)["tfgate/plan: stuck"] === "error");
    // Nothing re-runs by itself; /plan does.
    api.release();
    await h.comment(number, "alice", "/plan stuck");
    await h.waitFor("planned again", () => h.statuses(sha)["tfgate/plan: stuck"] === "success");
  });
});
