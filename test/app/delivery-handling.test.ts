import { describe, expect, it } from "vitest";
import { createDeliveryHandling, MAX_DELIVERY_RESUMES } from "../../src/app/delivery-handling.js";
import type { WebhookDelivery } from "../../src/app/events/webhook-event.js";
import { fakeClock, useTempStores } from "../store/store-fixtures.js";

function recordingLog() {
  const lines: string[] = [];
  const add = (fields: Record<string, unknown>, message: string) => void lines.push(`${message} ${JSON.stringify(fields)}`);
  return { lines, log: { info: add, warn: add, error: add } };
}

describe("delivery handling: each accepted delivery is handled, and one a stop cut short is handled after the restart", () => {
  const t = useTempStores();

  it("finishes a handled delivery and a failed one (rethrowing its error), and leaves one pending when the stop interrupted it", async () => {
    const store = t.fresh({ clock: fakeClock() });
    for (const id of ["ok", "boom", "cut"]) await store.deliveries.record(id, "pull_request", null, "{}");
    let interrupted = false;
    const handled: string[] = [];
    const handling = createDeliveryHandling({
      deliveries: store.deliveries,
      log: recordingLog().log,
      dispatch: async (d) => {
        handled.push(d.id);
        if (d.id === "boom") throw new Error("GitHub said no");
      },
      interrupted: () => interrupted,
    });
    await handling.handle({ id: "ok", event: "pull_request", payload: {} });
    await expect(handling.handle({ id: "boom", event: "pull_request", payload: {} })).rejects.toThrow("GitHub said no");
    interrupted = true;
    await handling.handle({ id: "cut", event: "pull_request", payload: {} });
    expect(handled).toEqual(["ok", "boom", "cut"]);
    expect((await store.deliveries.unfinished()).map((p) => p.id)).toEqual(["cut"]);
  });

  it("resumes pending deliveries oldest first with their parsed bodies, and gives up one that every restart left unfinished", async () => {
    const clock = fakeClock();
    const store = t.fresh({ clock });
    await store.deliveries.record("poison", "issue_comment", null, '{"n":0}');
    for (let i = 0; i < MAX_DELIVERY_RESUMES; i++) await store.deliveries.resumed("poison");
    clock.advance(1);
    await store.deliveries.record("first", "pull_request", null, '{"n":1}');
    clock.advance(1);
    await store.deliveries.record("broken", "pull_request", null, "{not json");
    clock.advance(1);
    await store.deliveries.record("second", "issue_comment", null, '{"n":2}');
    const seen: WebhookDelivery[] = [];
    const { lines, log } = recordingLog();
    const handling = createDeliveryHandling({ deliveries: store.deliveries, log, dispatch: async (d) => void seen.push(d), interrupted: () => false });
    const pending = await store.deliveries.unfinished();
    // Finished meanwhile (handled by a live path): skipped.
    await store.deliveries.record("gone", "pull_request", null, "{}");
    await store.deliveries.finish("gone", "handled");
    expect(await handling.resume([...pending, { id: "gone", event: "pull_request", body: "{}", receivedAt: clock.now(), resumes: 0 }])).toBe(2);
    await new Promise((r) => setTimeout(r, 10));
    expect(seen).toEqual([
      { id: "first", event: "pull_request", payload: { n: 1 } },
      { id: "second", event: "issue_comment", payload: { n: 2 } },
    ]);
    expect(await store.deliveries.unfinished()).toEqual([]);
    expect(lines.some((l) => l.startsWith(`gave up a delivery that ${MAX_DELIVERY_RESUMES} restarts in a row did not finish handling`) && l.includes('"poison"'))).toBe(true);
    expect(lines.some((l) => l.startsWith("a pending delivery's recorded body is not JSON") && l.includes('"broken"'))).toBe(true);
    // A second resume of the same list handles nothing again.
    expect(await handling.resume(pending)).toBe(0);
    expect(seen).toHaveLength(2);
  });

  it("idle() waits for every handling in flight, resumed ones included, so a graceful stop records them finished", async () => {
    const store = t.fresh({ clock: fakeClock() });
    await store.deliveries.record("live", "pull_request", null, "{}");
    await store.deliveries.record("old", "pull_request", null, "{}");
    const releases: (() => void)[] = [];
    const handling = createDeliveryHandling({
      deliveries: store.deliveries,
      log: recordingLog().log,
      dispatch: () => new Promise<void>((r) => void releases.push(r)),
      interrupted: () => false,
    });
    const pending = (await store.deliveries.unfinished()).filter((p) => p.id === "old");
    void handling.handle({ id: "live", event: "pull_request", payload: {} });
    expect(await handling.resume(pending)).toBe(1);
    await new Promise((r) => setTimeout(r, 10));
    let idle = false;
    const waiting = handling.idle().then(() => (idle = true));
    releases[0]?.();
    await new Promise((r) => setTimeout(r, 10));
    expect(idle).toBe(false);
    releases[1]?.();
    await waiting;
    expect(await store.deliveries.unfinished()).toEqual([]);
  });

  it("resumes one pull request's deliveries one after another in arrival order; another pull request's meanwhile", async () => {
    const store = t.fresh({ clock: fakeClock() });
    const body = (number: number, key: "pull_request" | "issue") => JSON.stringify({ repository: { full_name: "acme/infra" }, [key]: { number } });
    await store.deliveries.record("opened-7", "pull_request", null, body(7, "pull_request"));
    await store.deliveries.record("apply-7", "issue_comment", null, body(7, "issue"));
    await store.deliveries.record("opened-8", "pull_request", null, body(8, "pull_request"));
    const started: string[] = [];
    const releases = new Map<string, () => void>();
    const handling = createDeliveryHandling({
      deliveries: store.deliveries,
      log: recordingLog().log,
      dispatch: (d) => {
        started.push(d.id);
        return new Promise<void>((r) => void releases.set(d.id, r));
      },
      interrupted: () => false,
    });
    expect(await handling.resume(await store.deliveries.unfinished())).toBe(3);
    await new Promise((r) => setTimeout(r, 10));
    // #7's comment waits for #7's opened event; #8 does not wait for #7.
    expect(started).toEqual(["opened-7", "opened-8"]);
    releases.get("opened-7")?.();
    await new Promise((r) => setTimeout(r, 10));
    expect(started).toEqual(["opened-7", "opened-8", "apply-7"]);
    releases.get("apply-7")?.();
    releases.get("opened-8")?.();
    await handling.idle();
    expect(await store.deliveries.unfinished()).toEqual([]);
  });
});
