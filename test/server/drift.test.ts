import { describe, expect, it } from "vitest";
import { openTestStore } from "../helpers/open-test-store.js";
import { NAME, OWNER } from "./server-harness.js";
import { useHarness } from "./use-harness.js";

describe("GitHub App: drift checks (real server, real tofu)", () => {
  const h = useHarness({ env: { TFGATE_DRIFT: "true", TFGATE_DRIFT_JITTER_SECONDS: "0" } });

  it("a repository tfgate has seen is drift-checked at the next start: every project of main recorded, /metrics counts them", async () => {
    const { number } = await h.openPullRequest("touch-kirare", { "projects/kirare/notes.md": "x\n" });
    await h.waitFor("the PR's summary", () => h.summary(number).includes("kirare"));
    // The test repository stands in for GitHub's: its HEAD (the default branch) is main again.
    h.repo.git("switch", "-q", "main");
    expect(await h.stop("SIGTERM")).toBe(0);
    await h.start();
    const finished = await poll(async () => {
      const store = openTestStore(h.dataDir);
      try {
        const latest = await store.drift.latest(`${OWNER}/${NAME}`);
        return latest.length > 0 && latest.every((c) => c.state !== "started") ? latest : null;
      } finally {
        store.close();
      }
    });
    // The samples' projects under projects/* (discovered on main, as tfgate.yaml's default roots say).
    expect(finished.map((c) => c.project)).toEqual(expect.arrayContaining(["kirare", "ortensia", "stella-maris"]));
    expect(new Set(finished.map((c) => c.sha))).toEqual(new Set([h.repo.git("rev-parse", "main")]));
    const metrics = await (await fetch(`${h.url}/metrics`)).text();
    const counted = [...metrics.matchAll(/^tfgate_drift_projects\{state="(?:in-sync|drifted|error)"\} (\d+)$/gm)].reduce((n, m) => n + Number(m[1]), 0);
    expect(counted).toBe(finished.length);
    expect(metrics).toMatch(/^tfgate_drift_last_check_timestamp_seconds [1-9]\d*/m);
  });
});

async function poll<T>(check: () => Promise<T | null>, timeoutMs = 120_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== null) return v;
    if (Date.now() > until) throw new Error("timed out waiting for the drift checks");
    await new Promise((r) => setTimeout(r, 250));
  }
}
