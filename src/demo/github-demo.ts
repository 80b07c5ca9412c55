/**
 * The GitHub App flow on embedded defaults, without a GitHub account: the simulated GitHub
 * (src/simulator, held to GitHub's OpenAPI description), the real tfgate server, real git and
 * real tofu. A pull request with a mislabelled resource is planned and judged, the summary is
 * printed as GitHub would show it, a push fixes the label, and /apply answers; then the life of a
 * change after review, with drift found and resolved (drift-demo.ts).
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runGit } from "../adapters/git/run-git.js";
import { silentLogger } from "../app/ports/logger.js";
import { prepareServerRuntime } from "../compose/server-runtime.js";
import { startTfgateServer } from "../compose/tfgate-server.js";
import { parseEngineConfig } from "../config/engine-config.js";
import { parseServerConfig } from "../config/server-config.js";
import { compareText } from "../domain/compare-text.js";
import { createFakeGitHub, deliverWebhook, examplePayload } from "../simulator/index.js";
import { pullRequestAdaptation } from "../simulator/payload-from-state.js";
import { deliverComment, runDriftDemo } from "./drift-demo.js";

export interface DemoOptions {
  /** The repository holding projects/, modules/ and policies/ to copy. */
  readonly samplesDir: string;
  /**
   * The CLI's environment: how tofu runs comes from it as for the server (engine-config.ts), and
   * git starts from it (see GitBaseEnv). Everything else is the demo's own.
   */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly out: (text: string) => void;
}

const OWNER = "acme";
const NAME = "infra";
const SECRET = "demo-webhook-secret-0123456789";

export async function runGithubDemo(options: DemoOptions): Promise<number> {
  const { out } = options;
  const root = mkdtempSync(join(tmpdir(), "tfgate-github-demo-"));
  const repoDir = join(root, "git", OWNER, `${NAME}.git`);
  const work = join(root, "work");
  mkdirSync(work, { recursive: true });
  mkdirSync(join(root, "git", OWNER), { recursive: true });
  for (const d of ["projects", "modules", "policies"]) cpSync(join(options.samplesDir, d), join(work, d), { recursive: true });
  cpSync(join(options.samplesDir, "tfgate.example.yaml"), join(work, "tfgate.yaml"));
  symlinkSync(work, repoDir);
  const git = async (...args: string[]) =>
    (await runGit(work, ["-c", "user.name=demo", "-c", "user.email=demo@example.com", "-c", "commit.gpgsign=false", ...args], { baseEnv: options.env })).stdout.trim();
  await git("init", "-q", "-b", "main");
  await git("add", "-A");
  await git("commit", "-qm", "Sample infrastructure");

  const fake = await createFakeGitHub();
  fake.state.addRepo({ owner: OWNER, name: NAME, cloneUrl: `file://${repoDir}` });
  fake.state.setPermission(OWNER, NAME, "alice", "write");
  fake.state.setPermission(OWNER, NAME, "sam", "write");
  fake.state.addTeamMember("acme", "sre", "sam");
  const parsed = parseServerConfig({
    TFGATE_WEBHOOK_SECRET: SECRET,
    TFGATE_APP_ID: String(fake.appId),
    TFGATE_PRIVATE_KEY: fake.privateKey,
    TFGATE_GITHUB_API_URL: fake.url,
    TFGATE_GIT_BASE_URL: `file://${join(root, "git")}`,
    TFGATE_HOST: "127.0.0.1",
    TFGATE_PORT: "0",
    TFGATE_DATA_DIR: join(root, "data"),
    TFGATE_RETRY_BASE_SECONDS: "0.05",
    TFGATE_APPROVER_TEAMS: "acme/sre",
    // Check runs as a real installation shows them, and the statuses this demo prints.
    TFGATE_RESULTS: "both",
    // Drift checks on demand only (a closed pull request, /plan on a drift issue): Feb 31st never comes.
    TFGATE_DRIFT_SCHEDULE: "0 0 31 2 *",
  });
  if (!parsed.ok) throw new Error(parsed.problems.join("; "));
  const engine = parseEngineConfig(options.env, parsed.config.concurrency);
  if (!engine.ok) throw new Error(engine.problems.join("; "));
  const config = { ...parsed.config, engine: engine.config };
  // The demo runs plans in the sandbox, as the server does by default.
  const prepared = await prepareServerRuntime(config, options.env);
  if (!prepared.ok) throw new Error(prepared.problems.join("; "));
  const server = await startTfgateServer(config, silentLogger, prepared.runtime);
  const deliver = (event: string, payload: unknown) => deliverWebhook(`${server.url}/webhooks`, event, payload, SECRET);
  const statuses = (sha: string) => fake.state.latestStatuses(OWNER, NAME, sha);
  const waitFor = async (check: () => boolean, what: string) => {
    for (const until = Date.now() + 180_000; !check(); ) {
      if (Date.now() > until) throw new Error(`demo: timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const done = (sha: string) => () => statuses(sha).some((s) => s.context === "tfgate/plan" && s.state !== "pending");
  const showSummary = (n: number) => {
    for (const c of fake.state.comments(OWNER, NAME, n).filter((c) => c.body.includes("<!-- tfgate:summary"))) out(`${c.body}\n\n`);
  };
  const showStatuses = (sha: string) => {
    for (const s of statuses(sha).sort((a, b) => compareText(a.context, b.context))) out(`  ${s.state.padEnd(8)} ${s.context}: ${s.description ?? ""}\n`);
  };

  try {
    out(`## 1. alice opens a pull request: a new placement group in kirare, labelled for the wrong project,\n## and a new project, runbook (terraform_data only, so it can be applied offline)\n\n`);
    await git("switch", "-q", "-c", "bastion");
    const wrong = `resource "hcloud_placement_group" "bastion" {\n  name   = "kirare-bastion"\n  type   = "spread"\n  labels = { Project = "ortensia" }\n}\n`;
    writeFileSync(join(work, "projects/kirare/bastion.tf"), wrong);
    mkdirSync(join(work, "projects/runbook"), { recursive: true });
    writeFileSync(join(work, "projects/runbook/main.tf"), `resource "terraform_data" "on_call" {\n  input = "rotation-1"\n}\n`);
    await git("add", "-A");
    await git("commit", "-qm", "kirare: bastion placement group");
    const first = await git("rev-parse", "HEAD");
    const pr = fake.state.addPullRequest({ owner: OWNER, repo: NAME, user: "alice", headSha: first, headRef: "bastion", baseSha: await git("rev-parse", "main"), title: "Bastion placement group" });
    await deliver("pull_request", examplePayload("pull_request", "opened", pullRequestAdaptation(fake.state, OWNER, NAME, pr.number)));
    await waitFor(done(first), "the first plan");
    out(`### The summary comment tfgate posts on PR #${pr.number} (Markdown, as GitHub renders it)\n\n`);
    showSummary(pr.number);
    out(`### Commit statuses (branch protection can require them)\n\n`);
    showStatuses(first);

    out(`\n## 2. alice fixes the label and pushes; tfgate replans and updates the same comment\n\n`);
    writeFileSync(join(work, "projects/kirare/bastion.tf"), wrong.replace(`Project = "ortensia"`, `Project = "kirare"`));
    await git("commit", "-qam", "kirare: label the bastion group correctly");
    const second = await git("rev-parse", "HEAD");
    fake.state.pushToPullRequest(OWNER, NAME, pr.number, second);
    await deliver("pull_request", examplePayload("pull_request", "synchronize", pullRequestAdaptation(fake.state, OWNER, NAME, pr.number)));
    await waitFor(done(second), "the second plan");
    showSummary(pr.number);
    showStatuses(second);

    /** alice's comment on a pull request or an issue; prints tfgate's replies once one says `until`. */
    const commentOn = async (issue: number, body: string, until: string) => {
      const before = fake.state.comments(OWNER, NAME, issue).length;
      await deliverComment(fake, deliver, { owner: OWNER, name: NAME, issue, user: "alice", body });
      await waitFor(() => fake.state.comments(OWNER, NAME, issue).slice(before).some((x) => x.body.includes(until)), `the reply to ${body}`);
      for (const x of fake.state.comments(OWNER, NAME, issue).slice(before + 1)) out(`${x.body}\n\n`);
    };
    const command = (body: string, until: string) => commentOn(pr.number, body, until);
    out(`\n## 3. alice comments /apply before any SRE approved: refused, with every missing requirement\n\n`);
    await command("/apply", "refused");
    out(`## 4. sam (acme/sre) approves the head commit; alice comments /apply runbook\n`);
    out(`## (kirare's hcloud resources would be created through Hetzner's API, which this demo does not reach)\n\n`);
    // An approval covers the plans posted before it, and GitHub's review times have whole seconds.
    await new Promise((r) => setTimeout(r, 1050 - (Date.now() % 1000)));
    fake.state.addReview({ owner: OWNER, repo: NAME, pullNumber: pr.number, user: "sam", state: "APPROVED" });
    await command("/apply runbook", "applied (plan");
    await waitFor(() => statuses(second).some((s) => s.context === "tfgate/apply: runbook" && s.state !== "pending"), "the apply status");
    showStatuses(second);
    out(`\n## 5. bob changes the web application's shared module: tfgate plans web/staging and web/prod\n`);
    out(`## (nested names from projects/*/*), each with its var file and workspace, and says why\n\n`);
    await git("switch", "-q", "main");
    await git("switch", "-q", "-c", "web-replicas");
    const module = join(work, "modules/web-app/main.tf");
    writeFileSync(module, readFileSync(module, "utf8").replace("    workspace   = terraform.workspace\n", "    workspace   = terraform.workspace\n    tier        = \"frontend\"\n"));
    await git("commit", "-qam", "web-app: label the release's tier");
    const web = await git("rev-parse", "HEAD");
    const webPr = fake.state.addPullRequest({ owner: OWNER, repo: NAME, user: "bob", headSha: web, headRef: "web-replicas", baseSha: await git("rev-parse", "main"), title: "web-app: tier" });
    await deliver("pull_request", examplePayload("pull_request", "opened", pullRequestAdaptation(fake.state, OWNER, NAME, webPr.number)));
    await waitFor(done(web), "the web plans");
    showSummary(webPr.number);
    showStatuses(web);
    await runDriftDemo({
      fake,
      owner: OWNER,
      name: NAME,
      git,
      write: (path, text) => writeFileSync(join(work, path), text),
      deliver,
      waitFor,
      out,
      appliedPr: pr.number,
      openPr: async (user, branch, title) => {
        const sha = await git("rev-parse", "HEAD");
        const opened = fake.state.addPullRequest({ owner: OWNER, repo: NAME, user, headSha: sha, headRef: branch, baseSha: await git("rev-parse", "main"), title });
        await deliver("pull_request", examplePayload("pull_request", "opened", pullRequestAdaptation(fake.state, OWNER, NAME, opened.number)));
        await waitFor(done(sha), `the plan of ${branch}`);
        // An approval covers the plans posted before it, and GitHub's review times have whole seconds.
        await new Promise((r) => setTimeout(r, 1050 - (Date.now() % 1000)));
        return { number: opened.number, sha };
      },
      command: commentOn,
    });
    out(`\nGitHub API contract violations seen by the simulated GitHub: ${fake.violations.length}\n`);
    return fake.violations.length === 0 ? 0 : 1;
  } finally {
    await server.close(5_000);
    await fake.close();
    rmSync(root, { recursive: true, force: true });
  }
}
