import { describe, expect, it } from "vitest";
import { createTfgateMetrics } from "../../src/adapters/metrics/tfgate-metrics.js";

describe("drift metrics", () => {
  it("count projects by their latest state and give the latest check's time, read at each scrape", async () => {
    let latest = [
      { state: "in-sync", checkedAt: 1_000_000 },
      { state: "drifted", checkedAt: 3_000_000 },
      { state: "drifted", checkedAt: 2_000_000 },
      { state: "started", checkedAt: null },
    ];
    const metrics = createTfgateMetrics({ queueStats: () => ({ waiting: 0, running: 0 }), driftLatest: async () => latest });
    const text = await metrics.render();
    expect(text).toContain('tfgate_drift_projects{state="in-sync"} 1');
    expect(text).toContain('tfgate_drift_projects{state="drifted"} 2');
    expect(text).toContain('tfgate_drift_projects{state="error"} 0');
    expect(text).toContain('tfgate_drift_projects{state="started"} 1');
    expect(text).toContain("tfgate_drift_last_check_timestamp_seconds 3000");
    latest = [{ state: "error", checkedAt: 4_000_000 }];
    const after = await metrics.render();
    expect(after).toContain('tfgate_drift_projects{state="drifted"} 0');
    expect(after).toContain('tfgate_drift_projects{state="error"} 1');
    expect(after).toContain("tfgate_drift_last_check_timestamp_seconds 4000");
  });
});
