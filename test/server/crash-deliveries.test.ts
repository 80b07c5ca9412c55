import { describe, expect, it } from "vitest";
import { examplePayload } from "../../src/simulator/index.js";
import { commentAdaptation } from "../../src/simulator/payload-from-state.js";
import { NAME, OWNER } from "./server-harness.js";
import { useHarness } from "./use-harness.js";

const LEDGER = `resource "terraform_data" "entry" {\n  input = "one"\n}\n`;

/**
 * A delivery answered 202 is recorded with its body first, so kill -9 between the answer and the
 * end of its handling loses nothing: the restart handles it, once.
 */
describe("GitHub App: deliveries survive kill -9 (real server, fake GitHub, real tofu)", () => {
  const h = useHarness({ env: { TFGATE_APPROVER_TEAMS: "acme/sre" } });
  const count = (text: string) => h.logs.join("\n").split(text).length - 1;
  /** Log lines holding all of `parts` (a resumed delivery is named by its id). */
  const lines = (...parts: string[]) => h.logs.filter((l) => parts.every((p) => l.includes(p))).length;

  it("killed after an /apply was answered 202, before its handling did anything: the restart applies it, once", async () => {
    h.fake.state.addTeamMember("acme", "sre", "sam");
    h.fake.state.setPermission(OWNER, NAME, "sam", "write");
    const { number: pr, sha } = await h.openPullRequest("ledger-crash", { "projects/ledger/main.tf": LEDGER });
    await h.waitFor("planned", () => h.statuses(sha)["tfgate/plan"] === "success");
    await h.approve(pr);
    await h.waitFor("ready to apply", () => /ready to apply/.test(h.summary(pr)));

    // The first thing a comment's handling asks GitHub (the commenter's permission) hangs: the
    // server is caught after the 202 and before the command did anything.
    h.fake.faults.holdNext("repos/get-collaborator-permission-level");
    const c = h.fake.state.addComment({ owner: OWNER, repo: NAME, issueNumber: pr, user: "alice", body: "/apply" });
    const payload = examplePayload("issue_comment", "created", commentAdaptation(h.fake.state, c.id));
    const response = await h.deliver("issue_comment", payload);
    expect(response.status).toBe(202);
    const { delivery } = (await response.json()) as { delivery: string };
    await h.waitFor("handling caught at GitHub", () => h.fake.faults.held() > 0, 60_000);
    expect(count('"apply finished"')).toBe(0);
    await h.stop("SIGKILL");
    h.fake.faults.clear();

    await h.start();
    await h.waitFor("applied after the restart", () => h.statuses(sha)["tfgate/apply"] === "success", 120_000);
    expect(h.statuses(sha)["tfgate/apply: ledger"]).toBe("success");
    await h.waitFor("summary shows applied", () => h.summary(pr).includes("applied"));
    // The /apply delivery is resumed once (the review's may be too: its check runs were still being published).
    expect(lines("handling a delivery the previous stop left unfinished", delivery)).toBe(1);
    expect(count('"apply finished"')).toBe(1);

    // Handled, so neither a restart nor GitHub's redelivery of it runs it again.
    await h.stop("SIGTERM");
    await h.start();
    const again = await h.deliver("issue_comment", payload, delivery);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ status: "duplicate" });
    await new Promise((r) => setTimeout(r, 1500));
    // The /apply delivery is resumed once (the review's may be too: its check runs were still being published).
    expect(lines("handling a delivery the previous stop left unfinished", delivery)).toBe(1);
    expect(count('"apply finished"')).toBe(1);
  });
});
