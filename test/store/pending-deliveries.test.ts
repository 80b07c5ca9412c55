import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { fakeClock, useTempStores } from "./store-fixtures.js";

describe("SQLite store: deliveries pending until handled", () => {
  const t = useTempStores();

  it("keeps a delivery recorded with its body pending, oldest first, until it is finished; then drops the body and keeps the outcome", async () => {
    const clock = fakeClock();
    const store = t.fresh({ clock });
    expect(await store.deliveries.record("d-2", "pull_request", null, '{"n":2}')).toBe("new");
    clock.advance(10);
    expect(await store.deliveries.record("d-1", "issue_comment", null, '{"n":1}')).toBe("new");
    // Recorded without a body (a redelivery seen, an older tfgate): nothing to resume.
    expect(await store.deliveries.record("d-3", "ping")).toBe("new");
    // A duplicate changes nothing, its body included.
    expect(await store.deliveries.record("d-2", "pull_request", null, '{"n":"other"}')).toBe("duplicate");
    const pending = await store.deliveries.unfinished();
    expect(pending.map((p) => [p.id, p.event, p.body, p.resumes])).toEqual([
      ["d-2", "pull_request", '{"n":2}', 0],
      ["d-1", "issue_comment", '{"n":1}', 0],
    ]);
    expect(pending[0]?.receivedAt).toBe(clock.now() - 10);

    expect(await store.deliveries.resumed("d-2")).toBe(1);
    expect(await store.deliveries.resumed("d-2")).toBe(2);
    await store.deliveries.finish("d-2", "handled");
    expect(await store.deliveries.resumed("d-2")).toBe(0);
    expect((await store.deliveries.unfinished()).map((p) => p.id)).toEqual(["d-1"]);
    // Still remembered for de-duplication after it finished.
    expect(await store.deliveries.seen("d-2")).toBe(true);
    expect(await store.deliveries.record("d-2", "pull_request", null, "{}")).toBe("duplicate");

    const raw = new Database(store.path, { readonly: true });
    try {
      expect(raw.prepare("SELECT body, outcome, finished_at AS finishedAt, resumes FROM deliveries WHERE id = 'd-2'").get()).toEqual({
        body: null,
        outcome: "handled",
        finishedAt: clock.now(),
        resumes: 2,
      });
    } finally {
      raw.close();
    }
  });

  it("shares pending deliveries between processes (connections) on one file, and refuses a bad outcome or body", async () => {
    const first = t.fresh({ clock: fakeClock() });
    const second = t.open({ path: first.path });
    await first.deliveries.record("d-1", "pull_request", null, "{}");
    expect((await second.deliveries.unfinished()).map((p) => p.id)).toEqual(["d-1"]);
    await second.deliveries.finish("d-1", "abandoned");
    expect(await first.deliveries.unfinished()).toEqual([]);
    await expect(first.deliveries.finish("d-1", "lost" as never)).rejects.toMatchObject({ code: "invalid-input" });
    await expect(first.deliveries.record("d-9", "pull_request", null, 42 as never)).rejects.toMatchObject({ code: "invalid-input" });
    expect(await first.deliveries.seen("d-9")).toBe(false);
  });
});
