import { describe, expect, it } from "vitest";
import { DRIFT_ISSUE_LABEL } from "../../src/domain/drift/drift-issue-marker.js";
import type { FakeIssue } from "../../src/simulator/index.js";
import { NAME, OWNER } from "./server-harness.js";
import { useHarness } from "./use-harness.js";

const one = (input: string) => `resource "terraform_data" "one" {\n  input = "${input}"\n}\n`;
const two = `${one("a")}\nresource "terraform_data" "two" {\n  input = "b"\n}\n`;

describe("GitHub App: one issue per drifted project (real server, real tofu)", () => {
  const h = useHarness({ env: { TFGATE_DRIFT: "true", TFGATE_DRIFT_JITTER_SECONDS: "0" } });
  const soloIssues = (): FakeIssue[] => h.fake.state.issues(OWNER, NAME).filter((i) => i.labels.includes(DRIFT_ISSUE_LABEL) && (i.body ?? "").startsWith(`<!-- tfgate:drift repo=${OWNER}/${NAME} project=solo -->`));
  /** Commits on main, the test repository's HEAD: what GitHub would call the default branch. */
  const onMain = (files: Record<string, string>) => {
    h.repo.git("switch", "-q", "main");
    h.repo.write(files);
    return h.repo.commit("on main");
  };
  const replyTo = (issue: number, user: string, text: string) =>
    h.waitFor(`a reply to ${user} saying "${text}"`, () => h.comments(issue).find((c) => c.body.startsWith(`@${user} `) && c.body.includes(text)));

  it("drift found opens one labelled issue; a second drifted check updates it; /plan by a reader is refused; the fix closes it with a comment", async () => {
    // A project merged without apply: its resources exist in the code, not in its (empty) state.
    const { number } = await h.openPullRequest("add-solo", { "projects/solo/main.tf": one("a") });
    await h.waitFor("the PR's summary", () => h.summary(number).includes("solo"));
    h.repo.git("switch", "-q", "main");
    h.repo.git("merge", "-q", "--ff-only", "add-solo");
    await h.close(number, true);

    const opened = await h.waitFor("the drift issue", () => soloIssues()[0]);
    expect(opened).toMatchObject({ title: `Drift: solo in ${OWNER}/${NAME} (1 to add, 0 to change, 0 to destroy)`, state: "open", viaApp: true, labels: [DRIFT_ISSUE_LABEL] });
    expect(opened.body).toContain(`| Commit | \`${h.repo.git("rev-parse", "main")}\` |`);
    expect(opened.body).toContain("terraform_data.one");

    // More drift on main; a writer's /plan on the issue checks again and the same issue shows it.
    const second = onMain({ "projects/solo/main.tf": two });
    await h.comment(opened.number, "alice", "/plan");
    await replyTo(opened.number, "alice", "checked `solo`: drifted.");
    expect(h.comments(opened.number).some((c) => c.body.includes("checking `solo` now"))).toBe(false);
    expect(soloIssues()).toHaveLength(1);
    expect(soloIssues()[0]).toMatchObject({ number: opened.number, state: "open", title: `Drift: solo in ${OWNER}/${NAME} (2 to add, 0 to change, 0 to destroy)` });
    expect(soloIssues()[0]?.body).toContain(`\`${second}\``);

    await h.comment(opened.number, "rita", "/plan");
    await replyTo(opened.number, "rita", "needs write access");

    // The code no longer asks for what the state lacks: in sync, and the issue closes.
    const fixed = onMain({ "projects/solo/main.tf": "locals {\n  retired = true\n}\n" });
    await h.comment(opened.number, "bob", "/plan");
    await replyTo(opened.number, "bob", "checked `solo`: in sync.");
    await h.waitFor("the issue closed", () => h.fake.state.issue(OWNER, NAME, opened.number)?.state === "closed");
    expect(h.comments(opened.number).filter((c) => c.body.includes(`Drift resolved at \`${fixed}\``))).toHaveLength(1);
    expect(soloIssues()).toHaveLength(1);
  });

  it("a comment on an issue that is not a drift issue gets no answer", async () => {
    const other = h.fake.state.addIssue({ owner: OWNER, repo: NAME, title: "a question", user: "alice" });
    await h.comment(other.number, "alice", "/plan");
    await new Promise((r) => setTimeout(r, 1500));
    expect(h.comments(other.number).map((c) => c.body)).toEqual(["/plan"]);
  });
});
