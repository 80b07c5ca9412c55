import { describe, expect, it } from "vitest";
import { createDeliveryDedupe } from "../../src/adapters/http/delivery-dedupe.js";
import type { Delivery } from "../../src/adapters/http/webhook-server.js";
import type { DeliveryIdentity } from "../../src/domain/delivery-identity.js";
import { fakeClock, useTempStores } from "../store/store-fixtures.js";

const comment = (id: number) => ({ action: "created", comment: { id, created_at: new Date(fakeClock().now()).toISOString() }, repository: { id: 5 } });

describe("the webhook process's de-duplication", () => {
  const t = useTempStores();

  it("answers duplicate for a redelivered id and for a replay under a new id, in memory and from the store", async () => {
    const store = t.fresh({ clock: fakeClock() });
    const record = (d: Delivery, identity: DeliveryIdentity | null, body: string) => store.deliveries.record(d.id, d.event, identity, body);
    const check = (d: Delivery) => dedupe(d, JSON.stringify(d.payload));
    const dedupe = createDeliveryDedupe({ record, capacity: 100 });
    expect(await check({ id: "d-1", event: "issue_comment", payload: comment(1) })).toBe("new");
    expect(await check({ id: "d-1", event: "issue_comment", payload: comment(1) })).toBe("duplicate");
    expect(await check({ id: "replay-1", event: "issue_comment", payload: comment(1) })).toBe("duplicate");
    // Two copies arriving together: one passes.
    const both = await Promise.all(["a", "b"].map((id) => check({ id, event: "issue_comment", payload: comment(2) })));
    expect(both).toEqual(["new", "duplicate"]);
    // What another process recorded (or this one before a restart) counts as well.
    await store.deliveries.record("d-3", "issue_comment", { key: `issue_comment/3/created/-`, at: null });
    const restarted = createDeliveryDedupe({ record, capacity: 100 });
    const fresh = (d: Delivery) => restarted(d, "{}");
    expect(await fresh({ id: "replay-3", event: "issue_comment", payload: { action: "created", comment: { id: 3 } } })).toBe("duplicate");
    // Each new delivery is pending with its body, in arrival order; a duplicate added nothing.
    expect((await store.deliveries.unfinished()).map((p) => [p.id, JSON.parse(p.body).comment.id])).toEqual([
      ["d-1", 1],
      ["a", 2],
    ]);
    // A delivery id shaped like an identity is still only an id.
    expect(await fresh({ id: "identity:issue_comment/4/created/-", event: "ping", payload: {} })).toBe("new");
    expect(await fresh({ id: "d-4", event: "issue_comment", payload: { action: "created", comment: { id: 4 } } })).toBe("new");
  });

  it("forgets the id and the identity of a delivery whose lookup failed (answered 500), so its redelivery gets through", async () => {
    const store = t.fresh({ clock: fakeClock() });
    let failing = true;
    const dedupe = createDeliveryDedupe({
      record: async (d, identity, body) => {
        if (failing) throw new Error("database is locked");
        return store.deliveries.record(d.id, d.event, identity, body);
      },
      capacity: 100,
    });
    const check = (d: Delivery) => dedupe(d, "{}");
    await expect(check({ id: "d-1", event: "issue_comment", payload: comment(1) })).rejects.toThrow("database is locked");
    failing = false;
    expect(await check({ id: "d-1", event: "issue_comment", payload: comment(1) })).toBe("new");
    expect(await check({ id: "d-2", event: "issue_comment", payload: comment(1) })).toBe("duplicate");
  });
});
