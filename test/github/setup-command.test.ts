import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { convertManifestCode } from "../../src/adapters/github/manifest-conversion.js";
import { setupCommand } from "../../src/cli/setup-command.js";
import { parseServerConfig } from "../../src/config/server-config.js";
import { createFakeGitHub, type FakeGitHub } from "../../src/simulator/index.js";
import { APP_EVENTS, APP_PERMISSIONS } from "../../src/simulator/representations/app-representation.js";
import { repoRoot } from "../helpers/repo-root.js";

const MANIFEST_PATH = join(repoRoot(), "github-app-manifest.json");
const GITHUB_URL = "https://github.example";
const PUBLIC_URL = "https://tfgate.acme.example";

const TFGATE_PERMISSIONS = { checks: "write", pull_requests: "write", issues: "write", contents: "read", statuses: "write", members: "read", metadata: "read" };
const TFGATE_EVENTS = ["pull_request", "issue_comment", "pull_request_review", "check_run", "check_suite"];

interface RunningSetup {
  /** The page printed for the browser. */
  readonly url: string;
  readonly done: Promise<number>;
  readonly stop: AbortController;
  out(): string;
  err(): string;
}

interface SetupForm {
  readonly action: URL;
  readonly state: string;
  readonly manifest: Record<string, unknown> & { redirect_url: string };
}

describe("tfgate setup: GitHub's manifest flow against the fake GitHub", () => {
  let fake: FakeGitHub;
  let clock = Date.parse("2026-03-01T10:00:00Z");
  let work = "";
  let outDir: string;
  const running: RunningSetup[] = [];

  beforeAll(async () => {
    fake = await createFakeGitHub({ now: () => new Date(clock), htmlUrl: GITHUB_URL });
  });
  afterAll(async () => {
    await fake.close();
  });
  afterEach(async () => {
    for (const setup of running.splice(0)) {
      setup.stop.abort();
      await setup.done;
    }
    expect(fake.violations).toEqual([]);
    if (work) await rm(work, { recursive: true, force: true });
  });

  const start = async (extra: readonly string[] = []): Promise<RunningSetup> => {
    work = await mkdtemp(join(tmpdir(), "tfgate-setup-"));
    outDir = join(work, "credentials");
    return startSetup(["--public-url", `${PUBLIC_URL}/`, "--github-url", GITHUB_URL, "--api-url", fake.url, "--out", "credentials", ...extra], work, running);
  };

  it("creates the app from the committed manifest and stores its credentials (0700 dir, 0600 files)", async () => {
    const setup = await start(["--org", "acme"]);
    const form = await openForm(setup.url);
    expect(form.action.origin + form.action.pathname).toBe(`${GITHUB_URL}/organizations/acme/settings/apps/new`);
    expect(form.state).toMatch(/^[\w-]{40,}$/);
    expect(form.manifest).toMatchObject({
      name: "tfgate",
      url: PUBLIC_URL,
      hook_attributes: { url: `${PUBLIC_URL}/webhooks` },
      redirect_url: `${new URL(setup.url).origin}/callback`,
      public: false,
      default_permissions: TFGATE_PERMISSIONS,
    });
    expect([...(form.manifest.default_events as string[])].sort()).toEqual([...TFGATE_EVENTS].sort());

    // The person submits the form on GitHub; GitHub creates the app and redirects the browser back.
    const app = fake.state.addManifestCode("c0de1", form.manifest, { owner: "acme", ownerType: "Organization" });
    const page = await fetch(`${form.manifest.redirect_url}?code=c0de1&state=${form.state}`);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain(`${GITHUB_URL}/apps/${app.slug}/installations/new`);
    expect(await setup.done).toBe(0);

    expect((await stat(outDir)).mode & 0o777).toBe(0o700);
    for (const name of ["private-key.pem", "tfgate.env"]) expect((await stat(join(outDir, name))).mode & 0o777).toBe(0o600);
    expect(await readFile(join(outDir, "private-key.pem"), "utf8")).toBe(app.pem);
    const env = parseEnvFile(await readFile(join(outDir, "tfgate.env"), "utf8"));
    expect(env).toEqual({
      TFGATE_APP_ID: String(app.id),
      TFGATE_WEBHOOK_SECRET: app.webhookSecret,
      TFGATE_PRIVATE_KEY_FILE: join(outDir, "private-key.pem"),
      TFGATE_GITHUB_API_URL: fake.url,
      TFGATE_GIT_BASE_URL: GITHUB_URL,
      TFGATE_PUBLIC_URL: PUBLIC_URL,
    });
    // The server accepts the file as it stands.
    expect(parseServerConfig(env)).toMatchObject({ ok: true, config: { appId: String(app.id), privateKey: { file: join(outDir, "private-key.pem") } } });
    const appJson = JSON.parse(await readFile(join(outDir, "app.json"), "utf8")) as Record<string, unknown>;
    expect(appJson).toMatchObject({ id: app.id, slug: app.slug, html_url: `${GITHUB_URL}/apps/${app.slug}`, client_id: app.clientId });
    expect(Object.keys(appJson).filter((k) => /secret|pem|key/i.test(k))).toEqual([]);

    const printed = setup.out() + setup.err();
    expect(printed).toContain(`${GITHUB_URL}/apps/${app.slug}/installations/new`);
    expect(printed).toContain(join(outDir, "tfgate.env"));
    expect(printed).not.toContain(app.webhookSecret ?? "no secret");
    expect(printed).not.toContain("PRIVATE KEY");
    expect(html).not.toContain(app.webhookSecret ?? "no secret");
    expect(setup.err()).toBe("");
    expect(fake.requests.filter((r) => r.operationId === "apps/create-from-manifest").map((r) => r.status)).toEqual([201]);
  });

  it("answers 400 to a redirect with a wrong or missing state, writes nothing, and keeps waiting", async () => {
    const setup = await start();
    const form = await openForm(setup.url);
    expect(form.action.origin + form.action.pathname).toBe(`${GITHUB_URL}/settings/apps/new`);
    fake.state.addManifestCode("c0de2", form.manifest);
    const wrong = await fetch(`${form.manifest.redirect_url}?code=c0de2&state=${"x".repeat(form.state.length)}`);
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain("wrong state");
    const missing = await fetch(`${form.manifest.redirect_url}?code=c0de2`);
    expect(missing.status).toBe(400);
    expect(fake.requests.filter((r) => r.path.startsWith("/app-manifests/c0de2"))).toEqual([]);
    expect(existsSync(outDir)).toBe(false);

    // A page reached under another host name (DNS rebinding) gets nothing either.
    expect(await statusWithHost(setup.url, "attacker.example")).toBe(403);

    setup.stop.abort();
    expect(await setup.done).toBe(1);
    expect(setup.err()).toContain("interrupted; nothing was written");
    expect(existsSync(outDir)).toBe(false);
  });

  it("fails with exit code 1 and writes nothing when the code has expired", async () => {
    const setup = await start();
    const form = await openForm(setup.url);
    fake.state.addManifestCode("c0de3", form.manifest);
    clock += 61 * 60_000;
    const page = await fetch(`${form.manifest.redirect_url}?code=c0de3&state=${form.state}`);
    expect(page.status).toBe(502);
    expect(await page.text()).toContain("expire");
    expect(await setup.done).toBe(1);
    expect(setup.err()).toMatch(/GitHub does not know the code \(404.*expire.*Nothing was written/);
    expect(existsSync(outDir)).toBe(false);
    expect(fake.requests.filter((r) => r.path === "/app-manifests/c0de3/conversions").map((r) => r.status)).toEqual([404]);
  });

  it("refuses to replace an existing tfgate.env, and replaces it with --force", async () => {
    work = await mkdtemp(join(tmpdir(), "tfgate-setup-"));
    outDir = join(work, "credentials");
    await mkdir(outDir, { mode: 0o700 });
    await writeFile(join(outDir, "tfgate.env"), "TFGATE_APP_ID=1\n", { mode: 0o600 });
    const io = captureIo();
    const code = await setupCommand(["--public-url", PUBLIC_URL, "--api-url", fake.url, "--out", outDir], { io, manifestPath: MANIFEST_PATH, cwd: work });
    expect(code).toBe(2);
    expect(io.errText).toContain(`${join(outDir, "tfgate.env")} already exists`);
    expect(io.errText).toContain("--force");
    expect(io.outText).toBe("");
    expect(await readFile(join(outDir, "tfgate.env"), "utf8")).toBe("TFGATE_APP_ID=1\n");

    const setup = await startSetup(["--public-url", PUBLIC_URL, "--api-url", fake.url, "--out", outDir, "--force"], work, running);
    const form = await openForm(setup.url);
    const app = fake.state.addManifestCode("c0de4", form.manifest);
    expect((await fetch(`${form.manifest.redirect_url}?code=c0de4&state=${form.state}`)).status).toBe(200);
    expect(await setup.done).toBe(0);
    expect(parseEnvFile(await readFile(join(outDir, "tfgate.env"), "utf8")).TFGATE_APP_ID).toBe(String(app.id));
  });

  it("gives up after --timeout seconds with exit code 1", async () => {
    const setup = await start(["--timeout", "1"]);
    expect(await setup.done).toBe(1);
    expect(setup.err()).toContain("within 1 s; nothing was written");
    expect(existsSync(outDir)).toBe(false);
  });

  it("refuses bad options before listening", async () => {
    const io = captureIo();
    expect(await setupCommand(["--public-url", "ftp://x"], { io, manifestPath: MANIFEST_PATH, cwd: tmpdir() })).toBe(2);
    expect(io.errText).toContain("--public-url must be an http(s) URL");
    expect(await setupCommand([], { io, manifestPath: MANIFEST_PATH, cwd: tmpdir() })).toBe(2);
    expect(io.errText).toContain("--public-url is required");
  });
});

describe("the fake GitHub's manifest conversion", () => {
  it("hands out an app's credentials once per code; an unknown or used code is 404", async () => {
    const fake = await createFakeGitHub();
    try {
      const manifest = JSON.parse(await readFile(MANIFEST_PATH, "utf8")) as unknown;
      const app = fake.state.addManifestCode("once", manifest);
      const convert = (code: string) => fetch(`${fake.url}/app-manifests/${code}/conversions`, { method: "POST" });
      const first = await convert("once");
      expect(first.status).toBe(201);
      expect(await first.json()).toMatchObject({ id: app.id, pem: app.pem, webhook_secret: app.webhookSecret, permissions: TFGATE_PERMISSIONS });
      expect((await convert("once")).status).toBe(404);
      expect((await convert("never")).status).toBe(404);
      expect(() => fake.state.addManifestCode("bad", { ...(manifest as object), default_permissions: { issues: "write" }, default_events: ["push"] })).toThrow(/push needs one of the permissions contents/);
      expect(fake.violations).toEqual([]);
    } finally {
      await fake.close();
    }
  });
});

describe("the manifest conversion adapter", () => {
  it("tells a GitHub it cannot reach from a GitHub that refused", async () => {
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    const result = await convertManifestCode({ apiUrl: "http://127.0.0.1:1", code: "c" });
    expect(result).toMatchObject({ status: "unreachable", message: expect.stringContaining("cannot reach http://127.0.0.1:1") as unknown });
  });
});

describe("github-app-manifest.json", () => {
  it("asks for exactly the permissions and events tfgate uses (the fake grants the same)", async () => {
    const manifest = JSON.parse(await readFile(MANIFEST_PATH, "utf8")) as Record<string, unknown>;
    expect(manifest.default_permissions).toEqual(TFGATE_PERMISSIONS);
    expect([...(manifest.default_events as string[])].sort()).toEqual([...TFGATE_EVENTS].sort());
    expect(manifest).toMatchObject({ name: "tfgate", public: false, hook_attributes: { url: expect.stringMatching(/\/webhooks$/) as unknown } });
    expect(manifest.redirect_url).toEqual(expect.any(String));
    expect(manifest.default_permissions).toEqual(APP_PERMISSIONS);
    expect([...(manifest.default_events as string[])].sort()).toEqual([...APP_EVENTS].sort());
  });
});

function captureIo() {
  let out = "";
  let err = "";
  return {
    out: (t: string) => void (out += t),
    err: (t: string) => void (err += t),
    get outText() {
      return out;
    },
    get errText() {
      return err;
    },
  };
}

/** Runs `tfgate setup` in-process and waits until it prints the page to open. */
async function startSetup(argv: readonly string[], cwd: string, running: RunningSetup[]): Promise<RunningSetup> {
  const io = captureIo();
  const stop = new AbortController();
  let settled = false;
  const done = setupCommand(argv, { io, manifestPath: MANIFEST_PATH, cwd, signal: stop.signal }).finally(() => (settled = true));
  const setup = { url: "", done, stop, out: () => io.outText, err: () => io.errText };
  running.push(setup);
  for (let waited = 0; waited < 10_000; waited += 10) {
    const url = /http:\/\/127\.0\.0\.1:\d+\//.exec(io.outText)?.[0];
    if (url) return { ...setup, url };
    if (settled) throw new Error(`setup ended early: ${io.errText}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error("setup printed no URL");
}

/** GET / as a browser would, and the form it would post to GitHub. */
async function openForm(url: string): Promise<SetupForm> {
  const page = await fetch(url);
  expect(page.status).toBe(200);
  const html = await page.text();
  const action = /<form method="post" action="([^"]+)">/.exec(html)?.[1];
  const value = /<input type="hidden" name="manifest" value="([^"]*)">/.exec(html)?.[1];
  if (!action || value === undefined) throw new Error(`no manifest form in:\n${html}`);
  const actionUrl = new URL(unescapeHtml(action));
  return { action: actionUrl, state: actionUrl.searchParams.get("state") ?? "", manifest: JSON.parse(unescapeHtml(value)) as SetupForm["manifest"] };
}

function unescapeHtml(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ({ amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'" })[e] ?? "");
}

function parseEnvFile(text: string): Record<string, string> {
  const lines = text.split("\n").filter((l) => l !== "" && !l.startsWith("#"));
  return Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]));
}

function statusWithHost(url: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", reject);
    req.end();
  });
}
