import { describe, expect, it } from "vitest";
import { openTestStore } from "../helpers/open-test-store.js";
import { examplePayload } from "../../src/simulator/index.js";
import { commentAdaptation, pullRequestAdaptation } from "../../src/simulator/payload-from-state.js";
import { NAME, OWNER } from "./server-harness.js";
import { useHarness } from "./use-harness.js";

/** A project that applies offline (terraform_data needs no API). */
const LEDGER = `resource "terraform_data" "entry" {\n  input = "replayed"\n}\n`;

describe("replayed deliveries: a captured signed delivery under a new delivery id (real server, fake GitHub, real tofu)", () => {
  const h = useHarness({ env: { TFGATE_APPROVER_TEAMS: "acme/sre" } });

  /** What a delivery that ran would have changed: comments, statuses, GitHub writes, jobs and audit. */
  async function state(pr: number, sha: string) {
    const store = openTestStore(h.dataDir);
    try {
      return {
        comments: h.comments(pr).map((c) => `${c.id}: ${c.body.slice(0, 80)}`),
        reactions: h.comments(pr).flatMap((c) => h.fake.state.reactions(c.id).map((r) => `${c.id}: ${r.content}`)),
        statuses: h.fake.state.statuses(sha).map((s) => `${s.context}: ${s.state}`),
        writes: h.fake.requests.filter((r) => r.method !== "GET").length,
        jobs: (await store.jobs.recent()).map((j) => `${j.kind} ${j.project}: ${j.state}`),
        audit: (await store.audit.list()).map((a) => `${a.action} ${a.project ?? ""}: ${a.result}`),
      };
    } finally {
      store.close();
    }
  }

  /** The state once nothing has changed for two seconds. */
  async function settled(pr: number, sha: string) {
    let last = JSON.stringify(await state(pr, sha));
    for (let stable = 0; stable < 4; ) {
      await new Promise((r) => setTimeout(r, 500));
      const now = JSON.stringify(await state(pr, sha));
      stable = now === last ? stable + 1 : 0;
      last = now;
    }
    return JSON.parse(last) as Awaited<ReturnType<typeof state>>;
  }

  async function eventually(what: string, check: () => Promise<boolean>): Promise<void> {
    const until = Date.now() + 90_000;
    while (!(await check())) {
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}\n${h.logs.slice(-30).join("\n")}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  const replay = async (payload: unknown, deliveryId: string) => {
    const res = await h.deliver("issue_comment", payload, deliveryId);
    return { status: res.status, body: (await res.json()) as unknown };
  };

  it("a replayed /plan or /apply comment runs nothing, also after a restart; a new comment still runs", async () => {
    h.fake.state.addTeamMember("acme", "sre", "sam");
    h.fake.state.setPermission(OWNER, NAME, "sam", "write");
    const { number: pr, sha } = await h.openPullRequest("replayed", { "projects/ledger/main.tf": LEDGER });
    await h.waitFor("planned", () => h.statuses(sha)["tfgate/plan"] === "success");

    const commented = (body: string) =>
      examplePayload("issue_comment", "created", commentAdaptation(h.fake.state, h.fake.state.addComment({ owner: OWNER, repo: NAME, issueNumber: pr, user: "alice", body }).id));
    const plan = commented("/plan ledger");
    expect((await h.deliver("issue_comment", plan, "plan-1")).status).toBe(202);
    await eventually("the /plan job", async () => (await state(pr, sha)).jobs.filter((j) => j === "plan ledger: succeeded").length === 2);

    const approval = h.fake.state.addReview({ owner: OWNER, repo: NAME, pullNumber: pr, user: "sam", state: "APPROVED" });
    await h.deliver("pull_request_review", examplePayload("pull_request_review", "submitted", { ...pullRequestAdaptation(h.fake.state, OWNER, NAME, pr), review: { id: approval.id, state: "approved", commitId: sha } }));
    await h.waitFor("ready to apply", () => h.summary(pr).includes("ready to apply"));
    const apply = commented("/apply");
    expect((await h.deliver("issue_comment", apply, "apply-1")).status).toBe(202);
    await h.waitFor("applied", () => h.comments(pr).some((c) => c.body.includes("✅ `ledger` applied")));
    const before = await settled(pr, sha);
    expect(before.audit).toContain("apply ledger: succeeded");

    // The same signed bodies under new delivery ids: answered like a redelivery, and nothing runs.
    expect(await replay(plan, "plan-replay-1")).toEqual({ status: 200, body: { status: "duplicate", delivery: "plan-replay-1" } });
    expect(await replay(apply, "apply-replay-1")).toEqual({ status: 200, body: { status: "duplicate", delivery: "apply-replay-1" } });
    expect(await settled(pr, sha)).toEqual(before);

    // After a restart only the database remembers them.
    await h.stop();
    await h.start();
    const restarted = await settled(pr, sha);
    expect(await replay(plan, "plan-replay-2")).toEqual({ status: 200, body: { status: "duplicate", delivery: "plan-replay-2" } });
    expect(await replay(apply, "apply-replay-2")).toEqual({ status: 200, body: { status: "duplicate", delivery: "apply-replay-2" } });
    expect(await settled(pr, sha)).toEqual(restarted);

    // A new comment with the same text is a new command.
    expect((await h.deliver("issue_comment", commented("/plan ledger"), "plan-2")).status).toBe(202);
    await eventually("the new /plan job", async () => (await state(pr, sha)).jobs.filter((j) => j === "plan ledger: succeeded").length === 3);
  });

  it("a pull request closed again after a reopen is handled again; a replay of either close is not", async () => {
    const { number: pr, sha } = await h.openPullRequest("reclosed", { "projects/kirare/reclosed.tf": `resource "terraform_data" "r" {}\n` });
    await h.waitFor("planned", () => h.statuses(sha)["tfgate/plan"] === "success");
    const closed = () => {
      h.fake.state.closePullRequest(OWNER, NAME, pr);
      return examplePayload("pull_request", "closed", pullRequestAdaptation(h.fake.state, OWNER, NAME, pr));
    };
    const first = closed();
    expect((await h.deliver("pull_request", first, "close-1")).status).toBe(202);
    // GitHub's times have second precision: the reopen and second close come in later seconds.
    await new Promise((r) => setTimeout(r, 1100));
    h.fake.state.reopenPullRequest(OWNER, NAME, pr);
    await new Promise((r) => setTimeout(r, 1100));
    const second = closed();
    expect((await h.deliver("pull_request", second, "close-2")).status).toBe(202);
    expect((await h.deliver("pull_request", first, "close-replay")).status).toBe(200);
    expect((await h.deliver("pull_request", second, "close-replay-2")).status).toBe(200);
  });
});
