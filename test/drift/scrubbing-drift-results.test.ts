import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { scrubbingDriftResults } from "../../src/app/scrubbing-drift-results.js";
import { createSecretScrubber } from "../../src/domain/render/secret-scrubber.js";
import { openTestStore } from "../helpers/open-test-store.js";

const SECRET = "s3cr3t-token-0123456789";
const SHA = "a".repeat(40);

describe("scrubbingDriftResults: a drift check's texts are stored without tfgate's secrets", () => {
  const dir = mkdtempSync(join(tmpdir(), "tfgate-drift-scrub-"));
  const store = openTestStore(dir);
  afterAll(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const drift = scrubbingDriftResults(store.drift, createSecretScrubber([SECRET]));

  it("the plan of a drifted check and the error of a failed one", async () => {
    const a = await drift.begin({ repo: "acme/infra", project: "a", sha: SHA, scheduledFor: 0 });
    const b = await drift.begin({ repo: "acme/infra", project: "b", sha: SHA, scheduledFor: 0 });
    if (a.status !== "started" || b.status !== "started") throw new Error("expected started checks");
    await drift.finish(a.id, { state: "drifted", counts: { add: 1, change: 0, destroy: 0, replace: 0 }, diff: `+ password = "${SECRET}"`, policy: null }, null);
    await drift.finish(b.id, { state: "error", message: `Error: cannot reach postgres://tfgate:${SECRET}@db/state` }, null);
    const stored = await store.drift.latest("acme/infra");
    expect(JSON.stringify(stored)).not.toContain(SECRET);
    expect(stored.map((r) => r.diff ?? r.error)).toEqual([expect.stringContaining("password = "), expect.stringContaining("cannot reach postgres://tfgate:")]);
  });
});
