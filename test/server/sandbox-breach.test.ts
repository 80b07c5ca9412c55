import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ensureToolchain, repoRoot } from "../helpers/toolchain.js";
import { NAME, OWNER, SECRET } from "./server-harness.js";
import { useHarness } from "./use-harness.js";

const dir = mkdtempSync(join(tmpdir(), "tfgate-breach-"));
const SERVER_SENTINEL = "server-aws-secret-5c0ffee5c0ffee";
const ORTENSIA_PLAN = "ortensia-plan-credential-77aa88bb";
const KIRARE_PLAN = "kirare-plan-credential-11cc22dd";
const KIRARE_APPLY = "kirare-apply-credential-33ee44ff";
const credentialsFile = join(dir, "credentials.yaml");
writeFileSync(join(dir, "ortensia-token"), ORTENSIA_PLAN);
writeFileSync(
  credentialsFile,
  [
    "version: 1",
    "credentials:",
    '  - projects: ["kir*"]',
    "    plan:",
    "      env:",
    `        KIRARE_TOKEN: { value: "${KIRARE_PLAN}" }`,
    "    apply:",
    "      env:",
    `        KIRARE_TOKEN: { value: "${KIRARE_APPLY}" }`,
    '  - projects: ["ortensia"]',
    "    plan:",
    "      env:",
    `        ORTENSIA_TOKEN: { from_file: ${join(dir, "ortensia-token")} }`,
    '  - projects: ["stella-maris"]',
    "    plan:",
    "      env:",
    "        STELLA_TOKEN: { from_env: TFGATE_TEST_UNSET_VARIABLE }",
    "",
  ].join("\n"),
);

/** A pull request's code that reads everything it can and posts it back as outputs, raw and base64. */
function hostile(dataDir: string): string {
  return `
locals {
  environ  = try(file("/proc/self/environ"), "unreadable")
  all_envs = join("|", [for p in try(fileset("/proc", "*/environ"), []) : try(file("/proc/\${p}"), "")])
  data     = try(join(",", fileset(${JSON.stringify(dataDir)}, "**")), "unreadable")
  db       = try(filebase64(${JSON.stringify(join(dataDir, "tfgate.sqlite"))}), "unreadable")
  states   = try(join("|", [for f in fileset(${JSON.stringify(join(dataDir, "state"))}, "**/terraform.tfstate") : file("${join(dataDir, "state")}/\${f}")]), "unreadable")
}
output "environ" { value = local.environ }
output "environ_b64" { value = base64encode(local.environ) }
output "all_envs_b64" { value = base64encode(local.all_envs) }
output "data" { value = local.data }
output "db" { value = local.db }
output "states_b64" { value = base64encode(local.states) }
output "sees_own_credential" { value = strcontains(local.environ, "KIRARE_TOKEN=") }
output "sees_other_credential" { value = strcontains(local.all_envs, "ORTENSIA_TOKEN") }
output "sees_webhook_secret" { value = strcontains(local.all_envs, "TFGATE_WEBHOOK_SECRET") }
`;
}

/** Every text a person or another system could see: comments, statuses, server logs, run logs. */
function everythingPublished(h: ReturnType<typeof useHarness>, pr: number, sha: string): string {
  const texts = [
    ...h.comments(pr).map((c) => c.body),
    ...h.fake.state.latestStatuses(OWNER, NAME, sha).map((s) => `${s.context} ${s.description ?? ""}`),
    ...h.logs,
  ];
  const logDir = join(h.dataDir, "logs");
  for (const f of readdirSync(logDir, { recursive: true, encoding: "utf8" })) {
    try {
      texts.push(readFileSync(join(logDir, f), "utf8"));
    } catch {
      // a directory
    }
  }
  const all = texts.join("\n");
  // Decode every base64-looking run: an encoding must not carry a secret past the scrubber.
  const decoded = [...all.matchAll(/[A-Za-z0-9+/]{16,}={0,2}/g)].map((m) => Buffer.from(m[0], "base64").toString("latin1"));
  return [all, ...decoded].join("\n");
}

describe("trust boundary: a hostile pull request on the real server (bwrap, real tofu)", () => {
  const h = useHarness({ env: { TFGATE_CREDENTIALS_FILE: credentialsFile, SERVER_AWS_SECRET_ACCESS_KEY: SERVER_SENTINEL, TFGATE_TEST_UNSET_VARIABLE: "" } });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("reads nothing secret: not tfgate's environment, its database, other projects' state or credentials", async () => {
    // First an ortensia plan, so another project's state exists on disk.
    const first = await h.openPullRequest("ortensia-first", { "projects/ortensia/extra.tf": `resource "terraform_data" "o" {\n  input = "${ORTENSIA_PLAN.slice(0, 4)}"\n}\n` });
    await h.waitFor("ortensia planned", () => h.statuses(first.sha)["tfgate/plan"] === "success");
    const pr = await h.openPullRequest("hostile", { "projects/kirare/hostile.tf": hostile(h.dataDir) }, { from: "main" });
    await h.waitFor("kirare planned", () => ["success", "failure"].includes(h.statuses(pr.sha)["tfgate/plan"] ?? ""));
    expect(h.statuses(pr.sha)["tfgate/plan: kirare"]).toBe("success");
    const summary = h.summary(pr.number);
    // The reads ran (the project's own credential is there) and found nothing else.
    expect(summary).toMatch(/sees_own_credential\s+= true/);
    expect(summary).toMatch(/sees_other_credential\s+= false/);
    expect(summary).toMatch(/sees_webhook_secret\s+= false/);
    expect(summary).toMatch(/db\s+= "unreadable"/);
    const published = everythingPublished(h, pr.number, pr.sha);
    for (const secret of [SECRET, SERVER_SENTINEL, ORTENSIA_PLAN, KIRARE_APPLY, "BEGIN RSA PRIVATE KEY", "TFGATE_PRIVATE_KEY", "SERVER_AWS_SECRET_ACCESS_KEY", ...h.fake.privateKey.split("\n").filter((l) => l.length > 20)]) {
      expect(published.includes(secret), `published text contains ${secret.slice(0, 12)}…`).toBe(false);
    }
    // Run logs hold what tofu's text rendering shows, never `show -json` (sensitive values in clear).
    const runLogs = readdirSync(join(h.dataDir, "logs"), { recursive: true, encoding: "utf8" }).map((f) => {
      try {
        return readFileSync(join(h.dataDir, "logs", f), "utf8");
      } catch {
        return "";
      }
    });
    expect(runLogs.join("\n")).toContain("show -json (output not logged");
    expect(runLogs.join("\n")).not.toContain('"resource_changes"');
    // The project's own plan credential reached its sandbox but never a comment or log in clear.
    expect(h.comments(pr.number).some((c) => c.body.includes(KIRARE_PLAN))).toBe(false);
  });

  it("gives no credentials to a project the pull request adds, whose name matches an entry", async () => {
    // "kir*" matches kirare's credentials; a new directory named to match must not receive them.
    const pr = await h.openPullRequest("new-project", { "projects/kirevil/main.tf": hostile(h.dataDir) });
    await h.waitFor("kirevil planned", () => ["success", "failure"].includes(h.statuses(pr.sha)["tfgate/plan"] ?? ""));
    expect(h.statuses(pr.sha)["tfgate/plan: kirevil"]).toBe("failure");
    expect(h.summary(pr.number)).toContain("is not on the branch tfgate trusts");
    // This PR's comments, decoded: the base64 outputs carry whatever the environment held.
    const comments = h.comments(pr.number).map((c) => c.body).join("\n");
    const decoded = [...comments.matchAll(/[A-Za-z0-9+/]{16,}={0,2}/g)].map((m) => Buffer.from(m[0], "base64").toString("latin1"));
    expect(comments).toContain("is not on the branch tfgate trusts");
    for (const text of [comments, ...decoded]) {
      expect(text.includes(KIRARE_PLAN)).toBe(false);
      expect(text.includes("KIRARE_TOKEN")).toBe(false);
    }
  });

  it("warns at start when the kernel lets a step's code reach tofu's memory (no Yama ptrace restriction)", () => {
    let scope = "";
    try {
      scope = readFileSync("/proc/sys/kernel/yama/ptrace_scope", "utf8").trim();
    } catch {
      // no Yama here
    }
    const warned = h.logs.some((l) => l.includes("kernel.yama.ptrace_scope"));
    expect(warned).toBe(scope === "" || scope === "0");
  });

  it("reports a credential whose variable is not set on that project's row only", async () => {
    const pr = await h.openPullRequest("stella", { "projects/stella-maris/extra.tf": `resource "terraform_data" "s" {\n  input = "s"\n}\n` });
    await h.waitFor("stella-maris planned", () => ["success", "failure"].includes(h.statuses(pr.sha)["tfgate/plan"] ?? ""));
    expect(h.statuses(pr.sha)["tfgate/plan: stella-maris"]).toBe("failure");
    expect(h.summary(pr.number)).toContain("TFGATE_TEST_UNSET_VARIABLE, which is not set");
  });
});

describe("server start-up fails closed", () => {
  const start = (env: Record<string, string>) => {
    const tc = ensureToolchain();
    const r = spawnSync(process.execPath, [join(repoRoot, "dist", "main.js")], {
      env: { ...tc.env, TFGATE_WEBHOOK_SECRET: SECRET, TFGATE_APP_ID: "1", TFGATE_PRIVATE_KEY: "x", TFGATE_PORT: "0", TFGATE_HOST: "127.0.0.1", TFGATE_DATA_DIR: join(dir, "never"), ...env },
      encoding: "utf8",
      timeout: 30_000,
    });
    return { code: r.status, stderr: r.stderr };
  };

  it("refuses to start without bwrap, naming the package and the kernel setting", () => {
    const r = start({ PATH: join(dir, "empty-path") });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("TFGATE_SANDBOX=bwrap");
    expect(r.stderr).toContain("bubblewrap");
    expect(r.stderr).toContain("kernel.unprivileged_userns_clone");
  });

  it("refuses an invalid credentials file, naming the file, line and key", () => {
    const bad = join(mkdtempSync(join(tmpdir(), "tfgate-bad-creds-")), "bad.yaml");
    writeFileSync(bad, "version: 1\ncredentials:\n  - projects: [a]\n    plan:\n      env:\n        PATH: { value: x }\n        OK: { from_env: A, value: b }\n");
    const r = start({ PATH: process.env["PATH"] ?? "", TFGATE_CREDENTIALS_FILE: bad });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${bad}:6: credentials[0].plan.env.PATH: tfgate sets this variable itself`);
    expect(r.stderr).toContain(`${bad}:7: credentials[0].plan.env.OK`);
  });
});

describe("TFGATE_SANDBOX=none, the explicit opt-out", () => {
  const h = useHarness({ env: { TFGATE_SANDBOX: "none" } });

  it("is logged at start and shown as a caution in every summary", async () => {
    expect(h.logs.some((l) => l.includes("TFGATE_SANDBOX=none: plans run without isolation"))).toBe(true);
    const pr = await h.openPullRequest("unsandboxed", { "projects/kirare/extra.tf": `resource "terraform_data" "u" {\n  input = "u"\n}\n` });
    await h.waitFor("kirare planned", () => h.statuses(pr.sha)["tfgate/plan"] === "success");
    expect(h.summary(pr.number)).toContain("This tfgate server runs plans **without its sandbox** (`TFGATE_SANDBOX=none`)");
  });
});
