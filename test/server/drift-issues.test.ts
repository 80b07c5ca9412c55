import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, sep } from "node:path";
import { describe, expect, it } from "vitest";
import { DRIFT_ISSUE_LABEL } from "../../src/domain/drift/drift-issue-marker.js";
import type { FakeIssue } from "../../src/simulator/index.js";
import type { DriftCheckRecord } from "../../src/app/ports/drift-results.js";
import { openTestStore } from "../helpers/open-test-store.js";
import { NAME, OWNER } from "./server-harness.js";
import { useHarness } from "./use-harness.js";

const one = (input: string) => `resource "terraform_data" "one" {\n  input = "${input}"\n}\n`;
const two = `${one("a")}\nresource "terraform_data" "two" {\n  input = "b"\n}\n`;

describe("GitHub App: one issue per drifted project (real server, real tofu)", () => {
  const h = useHarness({ env: { TFGATE_DRIFT: "true", TFGATE_DRIFT_JITTER_SECONDS: "0", TFGATE_APPROVER_TEAMS: "acme/sre" } });
  const soloIssues = (): FakeIssue[] => h.fake.state.issues(OWNER, NAME).filter((i) => i.labels.includes(DRIFT_ISSUE_LABEL) && (i.body ?? "").startsWith(`<!-- tfgate:drift repo=${OWNER}/${NAME} project=solo -->`));
  /** Commits on main, the test repository's HEAD: what GitHub would call the default branch. */
  const onMain = (files: Record<string, string>) => {
    h.repo.git("switch", "-q", "main");
    h.repo.write(files);
    return h.repo.commit("on main");
  };
  /** The store as the server left it (read while it runs: SQLite's WAL lets a reader in). */
  const readStore = async <T>(read: (s: ReturnType<typeof openTestStore>) => Promise<T>): Promise<T> => {
    const s = openTestStore(h.dataDir);
    try {
      return await read(s);
    } finally {
      s.close();
    }
  };
  /** Polls the store every 20 ms (a plan lasts a second or so) until the project's newest check is started. */
  const startedCheck = async (project: string): Promise<DriftCheckRecord> => {
    for (const until = Date.now() + 60_000; Date.now() < until; await new Promise((r) => setTimeout(r, 20))) {
      const [newest] = await readStore((s) => s.drift.history(`${OWNER}/${NAME}`, project, 1));
      if (newest?.state === "started") return newest;
    }
    throw new Error(`no started check of ${project}`);
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

  it("a server killed mid-check: the restart takes its dead predecessor's lease, resumes the check, and updates the same issue", async () => {
    const crashyIssues = () => h.fake.state.issues(OWNER, NAME).filter((i) => (i.body ?? "").startsWith(`<!-- tfgate:drift repo=${OWNER}/${NAME} project=crashy -->`));
    const { number } = await h.openPullRequest("add-crashy", { "projects/crashy/main.tf": one("c") });
    await h.waitFor("the PR's summary", () => h.summary(number).includes("crashy"));
    h.repo.git("switch", "-q", "main");
    h.repo.git("merge", "-q", "--no-ff", "-m", "merge add-crashy", "add-crashy");
    await h.close(number, true);
    const opened = await h.waitFor("the drift issue", () => crashyIssues()[0]);
    expect(opened.title).toContain("(1 to add,");

    onMain({ "projects/crashy/main.tf": two });
    await h.comment(opened.number, "alice", "/plan");
    const started = await startedCheck("crashy");
    expect(await h.stop("SIGKILL")).toBeNull();
    await h.start();
    await h.waitFor("the resumed check to update the issue", () => crashyIssues()[0]?.title.includes("(2 to add,"), 120_000);
    expect(crashyIssues()).toHaveLength(1);
    expect(crashyIssues()[0]).toMatchObject({ number: opened.number, state: "open" });
    const resumed = readStore((s) => s.drift.history(`${OWNER}/${NAME}`, "crashy", 10));
    expect((await resumed).find((r) => r.id === started.id)).toMatchObject({ state: "drifted", resumes: 1 });
  }, 300_000);

  it("a state changed outside tfgate (edited by hand after an apply) is found by the next check and shown in the project's one issue", async () => {
    h.fake.state.addTeamMember("acme", "sre", "sam");
    const issuesOf = (project: string) => h.fake.state.issues(OWNER, NAME).filter((i) => (i.body ?? "").startsWith(`<!-- tfgate:drift repo=${OWNER}/${NAME} project=${project} -->`));
    const { number } = await h.openPullRequest("add-handmade", { "projects/handmade/main.tf": one("applied") });
    // The test repository's HEAD is what GitHub calls the default branch: main again at once, or
    // a scheduled check meanwhile would take the pull request's branch for it.
    h.repo.git("switch", "-q", "main");
    await h.waitFor("planned", () => h.summary(number).includes("handmade"));
    await h.approve(number);
    await h.waitFor("ready to apply", () => h.summary(number).includes("ready to apply"));
    await h.comment(number, "alice", "/apply");
    await h.waitFor("applied", () => h.comments(number).some((c) => c.body.includes("✅ `handmade` applied")));
    h.repo.git("merge", "-q", "--no-ff", "-m", "merge add-handmade", "add-handmade");
    await h.close(number, true);

    // Someone edits the state by hand (as `tofu state push` or a console change would leave it).
    const statePath = readdirSync(join(h.dataDir, "state"), { recursive: true }).map(String).find((f) => f.endsWith(`handmade${sep}terraform.tfstate`));
    if (!statePath) throw new Error("no state file of handmade");
    const file = join(h.dataDir, "state", statePath);
    const state = JSON.parse(readFileSync(file, "utf8")) as { serial: number; resources: { instances: { attributes: { input: { value: string } } }[] }[] };
    const attributes = state.resources[0]?.instances[0]?.attributes;
    if (!attributes) throw new Error("no resource in handmade's state");
    attributes.input.value = "edited by hand";
    state.serial += 1;
    writeFileSync(file, JSON.stringify(state));

    const early = issuesOf("handmade")[0];
    if (early) {
      // A scheduled pass already checked handmade (it is checked whenever a pass sees it first):
      // /plan on its issue checks again now.
      await h.comment(early.number, "alice", "/plan");
    } else {
      // The next start finds handmade never checked: due at once.
      expect(await h.stop("SIGTERM")).toBe(0);
      await h.start();
    }
    const shown = await h.waitFor("handmade's drift issue showing the hand edit", () => issuesOf("handmade").find((i) => (i.body ?? "").includes('"edited by hand" -> "applied"')), 120_000);
    expect(shown.title).toBe(`Drift: handmade in ${OWNER}/${NAME} (0 to add, 1 to change, 0 to destroy)`);
    expect(issuesOf("handmade").filter((i) => i.state === "open")).toHaveLength(1);
  }, 300_000);

  it("a comment on an issue that is not a drift issue gets no answer", async () => {
    const other = h.fake.state.addIssue({ owner: OWNER, repo: NAME, title: "a question", user: "alice" });
    const before = h.fake.requests.length;
    await h.comment(other.number, "alice", "/plan");
    await new Promise((r) => setTimeout(r, 1500));
    expect(h.comments(other.number).map((c) => c.body)).toEqual(["/plan"]);
    // Without the drift label neither the issue list nor the author's permission is asked for:
    // anyone may comment on any issue. (Other requests here are the earlier tests' drift checks.)
    const asked = h.fake.requests.slice(before).map((r) => `${r.method} ${r.path}`);
    expect(asked.filter((r) => /^GET \/repos\/acme\/infra\/issues\?|\/permission$/.test(r))).toEqual([]);
  });
});
