import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createFakeGitHub, deliverWebhook, examplePayload, type FakeCheckRun, type FakeGitHub } from "../../src/simulator/index.js";
import { commentAdaptation, pullRequestAdaptation } from "../../src/simulator/payload-from-state.js";
import { copySamples, createTestRepo, type TestRepo } from "../helpers/git-repo.js";
import { ensureToolchain, repoRoot } from "../helpers/toolchain.js";

export const OWNER = "acme";
export const NAME = "infra";
export const SECRET = "scenario-webhook-secret-0123456789";

/** A running tfgate server (`node dist/main.js`, as in the container) against a fake GitHub. */
export interface Harness {
  readonly fake: FakeGitHub;
  readonly repo: TestRepo;
  readonly dataDir: string;
  url: string;
  logs: string[];
  /** The server process, while it runs. */
  readonly pid: number | null;
  /**
   * Commits `files` (and `links`, path → target) on `branch` (from `from`), opens a PR into `base`
   * (default main, which must exist in the test repository) in the fake and delivers `opened`.
   */
  openPullRequest(
    branch: string,
    files: Record<string, string>,
    options?: { from?: string; base?: string; user?: string; fork?: boolean; draft?: boolean; links?: Record<string, string> },
  ): Promise<{ number: number; sha: string; response: Response }>;
  /**
   * An approving review, submitted in a later second than anything before the call (GitHub's
   * review times have whole seconds, and an approval covers only plans posted before it), then
   * delivered as a `pull_request_review` event.
   */
  approve(number: number, user?: string, options?: { commitId?: string }): Promise<{ id: number }>;
  push(number: number, branch: string, files: Record<string, string>): Promise<string>;
  /**
   * Closes (or merges) the PR and delivers `closed`. `intoMain`: the test repository's main
   * really gets the branch (a merge commit), as GitHub's default branch would after a merge.
   */
  close(number: number, merged: boolean, options?: { intoMain?: boolean }): Promise<void>;
  comment(number: number, user: string, body: string): Promise<number>;
  deliver(event: string, payload: unknown, deliveryId?: string): Promise<Response>;
  /** performance.now() when the latest webhook was sent (benchmarks time from the delivery). */
  readonly lastDeliveryAt: number;
  /** Polls until `check` returns a value that is not false/undefined. */
  waitFor<T>(what: string, check: () => T | false | undefined, timeoutMs?: number): Promise<T>;
  summary(number: number): string;
  comments(number: number): { id: number; body: string }[];
  /** The latest state of each status context on a commit. */
  statuses(sha: string): Record<string, string>;
  /** The newest check run of each name that tfgate's app created on a commit (what the Checks tab shows of it). */
  checkRuns(sha: string): Record<string, FakeCheckRun>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  start(): Promise<void>;
  cleanup(): Promise<void>;
}

/** `nodeArgs`: extra flags for the server process (e.g. --cpu-prof when measuring). */
export async function startHarness(options: { nodeArgs?: readonly string[]; env?: Readonly<Record<string, string>> } = {}): Promise<Harness> {
  const tc = ensureToolchain();
  const fake = await createFakeGitHub();
  const root = mkdtempSync(join(tmpdir(), "tfgate-scenario-"));
  const repo = createTestRepo();
  copySamples(repo);
  repo.commit("samples");
  // The server clones `${TFGATE_GIT_BASE_URL}/acme/infra.git`: a link to the test repository.
  mkdirSync(join(root, "git", OWNER), { recursive: true });
  symlinkSync(repo.dir, join(root, "git", OWNER, `${NAME}.git`));
  fake.state.addRepo({ owner: OWNER, name: NAME, cloneUrl: `file://${join(root, "git", OWNER, `${NAME}.git`)}` });
  for (const [login, role] of [["alice", "write"], ["bob", "write"], ["rita", "read"]] as const) fake.state.setPermission(OWNER, NAME, login, role);
  const dataDir = join(root, "data");
  let child: ChildProcess | null = null;
  let lastDeliveryAt = 0;

  const h: Harness = {
    fake,
    repo,
    dataDir,
    url: "",
    logs: [],
    get pid() {
      return child?.pid ?? null;
    },
    get lastDeliveryAt() {
      return lastDeliveryAt;
    },
    async start() {
      const env = {
        ...process.env,
        ...tc.env,
        TFGATE_WEBHOOK_SECRET: SECRET,
        TFGATE_APP_ID: String(fake.appId),
        TFGATE_PRIVATE_KEY: fake.privateKey,
        TFGATE_GITHUB_API_URL: fake.url,
        TFGATE_GIT_BASE_URL: `file://${join(root, "git")}`,
        TFGATE_HOST: "127.0.0.1",
        TFGATE_PORT: "0",
        TFGATE_DATA_DIR: dataDir,
        TFGATE_CONCURRENCY: "2",
        TFGATE_RETRY_BASE_SECONDS: "0.01",
        TFGATE_SHUTDOWN_GRACE_SECONDS: "30",
        // Statuses (which the scenarios read) and check runs: every scenario exercises both.
        TFGATE_RESULTS: "both",
        // Scenarios count plans and GitHub calls: drift checks of main (test/drift) would add some.
        TFGATE_DRIFT: "false",
        ...options.env,
      };
      child = spawn(process.execPath, [...(options.nodeArgs ?? []), join(repoRoot, "dist", "main.js")], { env, stdio: ["ignore", "pipe", "pipe"] });
      const proc = child;
      h.url = await new Promise<string>((resolve, reject) => {
        let buffered = "";
        const onData = (d: Buffer) => {
          buffered += d.toString();
          const lines = buffered.split("\n");
          buffered = lines.pop() ?? "";
          for (const line of lines) {
            h.logs.push(line);
            const m = /"url":"(http:\/\/[^"]+)".*"msg":"tfgate listening"/.exec(line);
            if (m?.[1]) resolve(m[1]);
          }
        };
        proc.stdout?.on("data", onData);
        proc.stderr?.on("data", (d: Buffer) => h.logs.push(d.toString()));
        proc.on("exit", (code) => reject(new Error(`tfgate exited (${code}) before listening:\n${h.logs.join("\n")}`)));
      });
    },
    async openPullRequest(branch, files, options = {}) {
      repo.git("switch", "-q", "-c", branch, options.from ?? "main");
      repo.write(files);
      for (const [path, target] of Object.entries(options.links ?? {})) repo.symlink(target, path);
      const sha = repo.commit(`change on ${branch}`);
      const pr = fake.state.addPullRequest({
        owner: OWNER,
        repo: NAME,
        user: options.user ?? "alice",
        headSha: sha,
        headRef: branch,
        ...(options.base ? { baseRef: options.base } : {}),
        baseSha: repo.git("rev-parse", options.base ?? "main"),
        draft: options.draft ?? false,
        ...(options.fork ? { headRepoFullName: `${options.user ?? "mallory"}/${NAME}` } : {}),
      });
      const response = await h.deliver("pull_request", examplePayload("pull_request", "opened", pullRequestAdaptation(fake.state, OWNER, NAME, pr.number)));
      return { number: pr.number, sha, response };
    },
    async approve(number, user = "sam", options = {}) {
      await new Promise((r) => setTimeout(r, 1050 - (Date.now() % 1000)));
      const review = fake.state.addReview({ owner: OWNER, repo: NAME, pullNumber: number, user, state: "APPROVED", ...(options.commitId ? { commitId: options.commitId } : {}) });
      const adaptation = pullRequestAdaptation(fake.state, OWNER, NAME, number, user);
      await h.deliver("pull_request_review", examplePayload("pull_request_review", "submitted", { ...adaptation, review: { id: review.id, state: "approved", commitId: review.commitId } }));
      return { id: review.id };
    },
    async push(number, branch, files) {
      repo.git("switch", "-q", branch);
      repo.write(files);
      const sha = repo.commit(`push to ${branch}`);
      fake.state.pushToPullRequest(OWNER, NAME, number, sha);
      await h.deliver("pull_request", examplePayload("pull_request", "synchronize", pullRequestAdaptation(fake.state, OWNER, NAME, number)));
      return sha;
    },
    async close(number, merged, options = {}) {
      if (merged && options.intoMain) {
        const branch = fake.state.pullRequest(OWNER, NAME, number)?.headRef ?? "";
        repo.git("switch", "-q", "main");
        repo.git("-c", "user.name=merger", "-c", "user.email=merger@example.com", "merge", "-q", "--no-ff", "-m", `Merge pull request #${number}`, branch);
      }
      if (merged) fake.state.mergePullRequest(OWNER, NAME, number, "alice");
      else fake.state.closePullRequest(OWNER, NAME, number);
      await h.deliver("pull_request", examplePayload("pull_request", "closed", pullRequestAdaptation(fake.state, OWNER, NAME, number)));
    },
    async comment(number, user, body) {
      const c = fake.state.addComment({ owner: OWNER, repo: NAME, issueNumber: number, user, body });
      await h.deliver("issue_comment", examplePayload("issue_comment", "created", commentAdaptation(fake.state, c.id)));
      return c.id;
    },
    deliver(event, payload, deliveryId) {
      lastDeliveryAt = performance.now();
      return deliverWebhook(`${h.url}/webhooks`, event, payload, SECRET, deliveryId ? { deliveryId } : {});
    },
    async waitFor(what, check, timeoutMs = 90_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const v = check();
        if (v !== false && v !== undefined) return v;
        if (Date.now() > until) throw new Error(`timed out waiting for ${what}\n--- server log ---\n${h.logs.slice(-30).join("\n")}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    summary(number) {
      return fake.state
        .comments(OWNER, NAME, number)
        .filter((c) => c.body.includes("<!-- tfgate:summary v1"))
        .map((c) => c.body)
        .join("\n");
    },
    comments(number) {
      return fake.state.comments(OWNER, NAME, number);
    },
    statuses(sha) {
      return Object.fromEntries(fake.state.latestStatuses(OWNER, NAME, sha).map((st) => [st.context, st.state]));
    },
    checkRuns(sha) {
      return Object.fromEntries([...fake.state.latestCheckRuns(OWNER, NAME, sha, fake.appId)]);
    },
    stop(signal = "SIGTERM") {
      const proc = child;
      child = null;
      if (!proc || proc.exitCode !== null) return Promise.resolve(proc?.exitCode ?? null);
      return new Promise((resolve) => {
        proc.once("exit", (code) => resolve(code));
        proc.kill(signal);
      });
    },
    async cleanup() {
      await h.stop("SIGKILL");
      await fake.close();
      repo.cleanup();
      rmSync(root, { recursive: true, force: true });
    },
  };
  await h.start();
  return h;
}
