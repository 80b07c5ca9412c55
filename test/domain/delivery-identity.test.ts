import { describe, expect, it } from "vitest";
import { deliveryIdentity } from "../../src/domain/delivery-identity.js";

const SHA = "a".repeat(40);
const T1 = "2026-03-01T10:00:00Z";
const T2 = "2026-03-01T10:05:00Z";
const comment = (action: string, o: Record<string, unknown> = {}) => ({ action, comment: { id: 11, created_at: T1, updated_at: T1, ...o }, repository: { id: 5, full_name: "acme/infra" } });
const review = (action: string, id = 21) => ({ action, review: { id, state: "approved" }, pull_request: { number: 7 } });
const pull = (action: string, o: { sha?: string; updated?: string; number?: number; repo?: Record<string, unknown> } = {}) => ({
  action,
  pull_request: { number: o.number ?? 7, updated_at: o.updated ?? T1, head: { sha: o.sha ?? SHA } },
  repository: o.repo ?? { id: 5, full_name: "acme/infra" },
});
const key = (event: string, payload: unknown) => deliveryIdentity(event, payload)?.key ?? null;

describe("deliveryIdentity", () => {
  it.each<[string, string, unknown, string | null]>([
    ["comment: id, action, update time", "issue_comment", comment("created"), `issue_comment/11/created/${Date.parse(T1)}`],
    ["review: id and action", "pull_request_review", review("submitted"), "pull_request_review/21/submitted"],
    ["pull request: repository, number, action, head, update time", "pull_request", pull("closed"), `pull_request/5/7/closed/${SHA}/${Date.parse(T1)}`],
    ["pull request without a repository id: its name", "pull_request", pull("opened", { repo: { full_name: "acme/in fra" } }), `pull_request/name:acme%2Fin%20fra/7/opened/${SHA}/${Date.parse(T1)}`],
    ["no update time: still an identity", "issue_comment", comment("created", { updated_at: undefined }), "issue_comment/11/created/-"],
    ["other events: delivery id only", "push", { action: "created", comment: { id: 11 } }, null],
    ["ping has no action", "ping", { zen: "hi" }, null],
    ["no comment id", "issue_comment", { action: "created", comment: { body: "/plan" } }, null],
    ["a comment id that is not an integer", "issue_comment", comment("created", { id: "11" }), null],
    ["no head SHA", "pull_request", { action: "opened", pull_request: { number: 7, head: {} }, repository: { id: 5 } }, null],
    ["an action that is not a word", "issue_comment", comment("cre ated"), null],
    ["not an object", "issue_comment", "created", null],
  ])("%s", (_what, event, payload, expected) => {
    expect(key(event, payload)).toBe(expected);
  });

  it("keeps real distinct events apart, so none is dropped as a replay", () => {
    // A second `closed` after a reopen: same PR, head and action, a later update time.
    expect(key("pull_request", pull("closed"))).not.toBe(key("pull_request", pull("closed", { updated: T2 })));
    expect(key("pull_request", pull("synchronize"))).not.toBe(key("pull_request", pull("synchronize", { sha: "b".repeat(40) })));
    expect(key("pull_request", pull("opened"))).not.toBe(key("pull_request", pull("opened", { repo: { id: 6 } })));
    expect(key("pull_request", pull("opened"))).not.toBe(key("pull_request", pull("reopened")));
    // A comment edited twice; an edit is not its creation.
    expect(key("issue_comment", comment("edited", { updated_at: T1 }))).not.toBe(key("issue_comment", comment("edited", { updated_at: T2 })));
    expect(key("issue_comment", comment("created"))).not.toBe(key("issue_comment", comment("edited")));
    expect(key("pull_request_review", review("submitted"))).not.toBe(key("pull_request_review", review("dismissed")));
    expect(key("pull_request_review", review("submitted"))).not.toBe(key("pull_request_review", review("submitted", 22)));
  });

  it("gives a replay, byte for byte the same payload, the same identity", () => {
    const payload = JSON.stringify(comment("created"));
    expect(deliveryIdentity("issue_comment", JSON.parse(payload))).toEqual(deliveryIdentity("issue_comment", JSON.parse(payload)));
  });

  it("dates only events whose payload holds their own time: a created comment", () => {
    expect(deliveryIdentity("issue_comment", comment("created"))?.at).toBe(Date.parse(T1));
    // An edit or a deletion can come long after the comment was written; a review can be dismissed long after.
    expect(deliveryIdentity("issue_comment", comment("edited", { updated_at: T2 }))?.at).toBeNull();
    expect(deliveryIdentity("issue_comment", comment("deleted"))?.at).toBeNull();
    expect(deliveryIdentity("pull_request_review", review("dismissed"))?.at).toBeNull();
    expect(deliveryIdentity("pull_request", pull("synchronize"))?.at).toBeNull();
    expect(deliveryIdentity("issue_comment", comment("created", { created_at: "yesterday" }))?.at).toBeNull();
  });

  it("has no identity too long for the store", () => {
    expect(deliveryIdentity("pull_request", pull("opened", { repo: { full_name: "x".repeat(600) } }))).toBeNull();
  });
});
