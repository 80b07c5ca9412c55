import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { examplePayload } from "../../src/simulator/index.js";
import { pullRequestAdaptation } from "../../src/simulator/payload-from-state.js";
import { NAME, OWNER } from "./server-harness.js";
import { useHarness } from "./use-harness.js";

/** Offline-applicable projects (terraform_data needs no API); each scenario has its own project, so no lock is shared. */
const DATA = (v: string, extra = "") => `resource "terraform_data" "entry" {\n  input = "${v}"\n${extra}}\n`;
const PROVIDERS = readFileSync(new URL("../../projects/kirare/providers.tf", import.meta.url), "utf8");

/**
 * One scenario per gate rule, on the real server with real tofu: each refusal must list every
 * unmet requirement (and only those), and nothing may run.
 */
describe("GitHub App: every /apply gate rule, one scenario each", () => {
  const h = useHarness({ env: { TFGATE_APPROVER_TEAMS: "acme/sre" } });
  const short = (sha: string) => sha.slice(0, 7);
  const approvalNeeded = (sha: string, why: string) => `needs an approving review of the head commit ${short(sha)} by a member of acme/sre other than the author (${why})`;
  const repliesTo = (pr: number, user: string) => h.comments(pr).filter((c) => c.body.startsWith(`@${user} `));

  /** Comments `/apply…` as `user` and returns the bullet list of the refusal it gets. */
  async function refusalReasons(pr: number, user: string, command = "/apply"): Promise<string[]> {
    const before = repliesTo(pr, user).length;
    await h.comment(pr, user, command);
    const answer = await h.waitFor(`an answer to ${command}`, () => repliesTo(pr, user)[before]);
    expect(answer.body).toContain("`/apply` refused**: nothing was applied.");
    return answer.body
      .split("\n")
      .filter((l) => l.startsWith("- "))
      .map((l) => l.slice(2));
  }

  async function plannedPr(project: string, files: Record<string, string>, options: { user?: string; draft?: boolean } = {}) {
    const opened = await h.openPullRequest(`b-${project}`, files, options);
    if (!options.draft) await h.waitFor(`${project} planned`, () => h.statuses(opened.sha)[`tfgate/plan: ${project}`] !== undefined && h.statuses(opened.sha)["tfgate/plan"] !== "pending" && h.statuses(opened.sha)["tfgate/plan"]);
    return opened;
  }

  const approve = (pr: number, user = "sam") => h.approve(pr, user);

  it("setup: sam is in acme/sre", () => {
    h.fake.state.addTeamMember("acme", "sre", "sam");
    h.fake.state.setPermission(OWNER, NAME, "sam", "write");
  });

  it("an SRE approval of an older commit does not count after a push", async () => {
    const { number, sha: first } = await plannedPr("older", { "projects/older/main.tf": DATA("one") });
    await approve(number);
    const head = await h.push(number, "b-older", { "projects/older/main.tf": DATA("two") });
    await h.waitFor("replanned", () => h.statuses(head)["tfgate/plan"] === "success");
    expect(await refusalReasons(number, "alice")).toEqual([approvalNeeded(head, `@sam approved ${short(first)}, not the head ${short(head)}`)]);
    // The summary's self-check agrees.
    expect(h.summary(number)).toContain("waiting for SRE approval");
  });

  it("an SRE cannot approve their own pull request", async () => {
    const { number, sha } = await plannedPr("selfie", { "projects/selfie/main.tf": DATA("one") }, { user: "sam" });
    await approve(number);
    expect(await refusalReasons(number, "alice")).toEqual([approvalNeeded(sha, "@sam is the author and cannot approve their own change")]);
  });

  it("changes requested after an approval withdraw it", async () => {
    const { number, sha } = await plannedPr("second-thoughts", { "projects/second-thoughts/main.tf": DATA("one") });
    await approve(number);
    h.fake.state.addReview({ owner: OWNER, repo: NAME, pullNumber: number, user: "sam", state: "CHANGES_REQUESTED" });
    expect(await refusalReasons(number, "alice")).toEqual([approvalNeeded(sha, "@sam requested changes")]);
  });

  it("an approved plan whose policy failed is not applied", async () => {
    const untagged = `resource "hcloud_firewall" "web" {\n  name = "untagged-web"\n}\n`;
    const { number, sha } = await plannedPr("untagged", { "projects/untagged/providers.tf": PROVIDERS, "projects/untagged/main.tf": untagged });
    expect(h.statuses(sha)["tfgate/plan: untagged"]).toBe("failure");
    await approve(number);
    expect(await refusalReasons(number, "alice")).toEqual(["`untagged`'s policy check failed: fix the findings in the summary and push"]);
    expect(h.summary(number)).toContain("blocked by policy");
  });

  it("a project locked by another pull request is not applied", async () => {
    const first = await plannedPr("shared", { "projects/shared/main.tf": DATA("first") });
    const second = await h.openPullRequest("b-shared-2", { "projects/shared/main.tf": DATA("second") }, { user: "bob" });
    await h.waitFor("lock notice", () => h.comments(second.number).find((c) => c.body.includes(`locked by #${first.number}`)));
    await approve(second.number);
    expect(await refusalReasons(second.number, "alice", "/apply shared")).toEqual([
      "`shared` has no plan: comment `/plan shared`",
      `\`shared\` is locked by #${first.number}: it must be merged, closed or \`/unlock\`ed there first`,
    ]);
  });

  it("a commenter without write access cannot apply, even an approved plan", async () => {
    const { number } = await plannedPr("readers", { "projects/readers/main.tf": DATA("one") });
    await approve(number);
    expect(await refusalReasons(number, "rita")).toEqual(["@rita needs write access to the repository, or membership of acme/sre"]);
    // A reader who is an approver-team member passes the commenter rule (the team may apply).
    h.fake.state.addTeamMember("acme", "sre", "rita");
    h.fake.state.addReview({ owner: OWNER, repo: NAME, pullNumber: number, user: "sam", state: "CHANGES_REQUESTED" });
    const sha = h.fake.state.pullRequest(OWNER, NAME, number)?.headSha ?? "";
    expect(await refusalReasons(number, "rita")).toEqual([approvalNeeded(sha, "@sam requested changes")]);
  });

  it("a draft pull request is not applied, even when planned and approved", async () => {
    const { number, sha } = await plannedPr("drafty", { "projects/drafty/main.tf": DATA("one") }, { draft: true });
    // Drafts are not planned automatically; a writer's /plan plans them.
    await h.comment(number, "alice", "/plan");
    await h.waitFor("planned", () => h.statuses(sha)["tfgate/plan"] === "success");
    await approve(number);
    expect(await refusalReasons(number, "alice")).toEqual(["the pull request is a draft: mark it ready for review"]);
    await h.waitFor("apply aggregate pending", () => h.statuses(sha)["tfgate/apply"] === "pending");
  });
});

describe("GitHub App: /apply follows depends_on, then automerges", () => {
  const h = useHarness({ env: { TFGATE_APPROVER_TEAMS: "acme/sre", TFGATE_PUBLIC_URL: "http://tfgate.test" } });
  // Provisioners run in the sandbox, which sees no file of the test's: each prints its clock
  // (the host's) into the apply output, which the run logs keep.
  const step = (name: string, sleep = 0) =>
    DATA(name, `  provisioner "local-exec" {\n    command = "echo ${name}-start $(date +%s%N)${sleep ? `; sleep ${sleep}` : ""}; echo ${name}-end $(date +%s%N)"\n  }\n`);
  const traced = () => {
    const times = new Map<string, bigint>();
    const dir = join(h.dataDir, "logs");
    for (const f of readdirSync(dir, { recursive: true, encoding: "utf8" })) {
      let text = "";
      try {
        text = readFileSync(join(dir, f), "utf8");
      } catch {
        continue; // a directory
      }
      for (const m of text.matchAll(/\(local-exec\): (\w+-(?:start|end)) (\d{19})/g)) times.set(m[1] as string, BigInt(m[2] as string));
    }
    return (event: string) => times.get(event) ?? -1n;
  };

  it("applies a dependency before its dependents, independent projects alongside, and merges when all are applied", async () => {
    h.fake.state.addTeamMember("acme", "sre", "sam");
    // The base branch declares the order and opts in to automerge.
    h.repo.git("switch", "-q", "main");
    h.repo.write({
      "tfgate.yaml": [
        "version: 1",
        "projects:",
        "  - name: app",
        "    dir: projects/app",
        "    depends_on: [net]",
        "apply:",
        "  automerge: true",
        "",
      ].join("\n"),
    });
    h.repo.commit("order and automerge");
    const { number, sha } = await h.openPullRequest("b-order", {
      "projects/net/main.tf": step("net", 3),
      "projects/app/main.tf": step("app"),
      "projects/solo/main.tf": step("solo"),
    });
    await h.waitFor("planned", () => h.statuses(sha)["tfgate/plan"] === "success");
    await h.waitFor("apply aggregate pending", () => h.statuses(sha)["tfgate/apply"] === "pending");
    await h.approve(number);
    await h.comment(number, "alice", "/apply");
    await h.waitFor("merged", () => h.fake.state.pullRequest(OWNER, NAME, number)?.merged === true, 120_000);

    const at = traced();
    for (const event of ["net-start", "net-end", "app-start", "solo-start"]) expect(at(event), event).toBeGreaterThan(0n);
    // app starts only after net finished; solo does not wait for net.
    expect(at("app-start") > at("net-end")).toBe(true);
    expect(at("solo-start") < at("net-end")).toBe(true);
    const statuses = h.statuses(sha);
    expect(["app", "net", "solo"].map((p) => statuses[`tfgate/apply: ${p}`])).toEqual(["success", "success", "success"]);
    await h.waitFor("aggregate", () => h.statuses(sha)["tfgate/apply"] === "success");
    await h.waitFor("merge notice", () => h.comments(number).some((c) => c.body.includes("so the pull request was merged")));
    // Each apply's reply links its full log in the web UI.
    const netReply = h.comments(number).find((c) => c.body.includes("✅ `net` applied"));
    expect(netReply?.body).toMatch(/Full log: <http:\/\/tfgate\.test\/ui\/runs\/[A-Za-z0-9_-]+>/);

    // GitHub then sends `closed` (merged): the locks go.
    await h.deliver("pull_request", examplePayload("pull_request", "closed", pullRequestAdaptation(h.fake.state, OWNER, NAME, number)));
    await h.waitFor("summary says merged", () => h.summary(number).includes("merged"));
  });
});
