import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useHarness } from "./use-harness.js";

const WEB = `variable "color" {
  type = string
}
variable "region" {
  type = string
}
resource "terraform_data" "site" {
  input = "\${terraform.workspace}:\${var.color}:\${var.region}"
}
`;
const REMOTE = `terraform {
  backend "http" {}
}
resource "terraform_data" "marker" {
  input = "remote-one"
}
`;

/** A minimal Terraform http state backend on 127.0.0.1: GET and POST of one state per path. */
function stateServer(): Promise<{ server: Server; url: string; states: Map<string, string> }> {
  const states = new Map<string, string>();
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (d: Buffer) => (body += d.toString()));
    req.on("end", () => {
      const path = req.url ?? "/";
      if (req.method === "GET") {
        const state = states.get(path);
        res.writeHead(state === undefined ? 404 : 200).end(state ?? "");
      } else if (req.method === "POST") {
        states.set(path, body);
        res.writeHead(200).end();
      } else res.writeHead(405).end();
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, states })));
}

/**
 * tfgate.yaml's per-project run settings through the real server and real tofu: two projects in
 * one directory with their own workspaces and var files, a non-secret variable from `env`, and a
 * remote backend whose address comes from `backend_config`.
 */
describe("GitHub App: workspaces, var files, backend config and env from tfgate.yaml (real server, fake GitHub, real tofu and terraform)", () => {
  const h = useHarness({ env: { TFGATE_APPROVER_TEAMS: "acme/sre" } });
  let backend: Awaited<ReturnType<typeof stateServer>>;
  beforeAll(async () => {
    backend = await stateServer();
  });
  afterAll(() => backend.server.close());

  it("plans and applies each workspace with its var file into its own state, and the remote project into the configured backend", async () => {
    h.repo.git("switch", "-q", "main");
    h.repo.write({
      "tfgate.yaml": [
        "projects:",
        "  - name: web/blue",
        "    dir: projects/web",
        "    workspace: blue",
        "    var_files: [blue.tfvars]",
        "    env: { TF_VAR_region: eu-central }",
        "  - name: web/green",
        "    dir: projects/web",
        "    workspace: green",
        "    var_files: [green.tfvars]",
        "    env: { TF_VAR_region: us-east }",
        "  - name: remote",
        "    dir: projects/remote",
        "    backend_config:",
        `      values: { address: "${backend.url}/states/remote" }`,
        // The same settings with terraform, and the built-in steps run by terraform too.
        "  - name: web/blue-tf",
        "    dir: projects/web",
        "    workspace: blue-tf",
        "    var_files: [blue.tfvars]",
        "    env: { TF_VAR_region: ap-south }",
        "    terraform_binary: terraform",
        "    workflow: checks",
        "  - name: remote-tf",
        "    dir: projects/remote-tf",
        "    terraform_binary: terraform",
        "    backend_config:",
        `      values: { address: "${backend.url}/states/remote-tf" }`,
        "workflows:",
        "  checks: { before_init: [fmt-check], after_init: [validate] }",
        "",
      ].join("\n"),
      "projects/web/main.tf": WEB,
      "projects/web/blue.tfvars": 'color = "blue-1"\n',
      "projects/web/green.tfvars": 'color = "green-1"\n',
      "projects/remote/main.tf": REMOTE,
      "projects/remote-tf/main.tf": REMOTE,
    });
    h.repo.commit("run settings");
    h.fake.state.addTeamMember("acme", "sre", "sam");

    // Only blue's var file changes: only web/blue is affected, and the summary says why.
    const { number: pr, sha } = await h.openPullRequest("blue-and-remote", {
      "projects/web/blue.tfvars": 'color = "blue-2"\n',
      "projects/remote/main.tf": REMOTE.replace("remote-one", "remote-two"),
      "projects/remote-tf/main.tf": REMOTE.replace("remote-one", "remote-two"),
    });
    await h.waitFor("planned", () => h.statuses(sha)["tfgate/plan"] === "success", 180_000);
    expect(Object.keys(h.statuses(sha)).sort()).toEqual(["tfgate/plan", "tfgate/plan: remote", "tfgate/plan: remote-tf", "tfgate/plan: web/blue", "tfgate/plan: web/blue-tf"]);
    const summary = h.summary(pr);
    expect(summary).toContain("- `web/blue`: `projects/web/blue.tfvars modified (a var file of the project)`");
    expect(summary).toContain("blue:blue-2:eu-central");
    expect(summary).toContain("blue-tf:blue-2:ap-south");
    expect(summary).toContain("Terraform used the selected providers");
    expect(summary).toContain("✅ workflow steps of <code>web/blue-tf</code>: 2 passed");
    expect(summary).not.toContain("green");

    await h.approve(pr);
    await h.waitFor("ready to apply", () => /ready to apply/.test(h.summary(pr)));
    await h.comment(pr, "alice", "/apply");
    await h.waitFor("applied", () => h.statuses(sha)["tfgate/apply"] === "success", 180_000);

    const stateRoot = join(h.dataDir, "state");
    const blueState = findFile(stateRoot, "web%2Fblue/terraform.tfstate.d/blue/terraform.tfstate");
    expect(blueState).not.toBeNull();
    expect(readFileSync(blueState as string, "utf8")).toContain("blue:blue-2:eu-central");
    expect(findFile(stateRoot, "web%2Fgreen")).toBeNull();
    // The http backend got the state at the address backend_config gave.
    expect(backend.states.get("/states/remote")).toContain("remote-two");
    const tfState = JSON.parse(backend.states.get("/states/remote-tf") ?? "{}") as { terraform_version?: string };
    expect(tfState.terraform_version).toMatch(/^1\.(1[4-9]|[6-9])\./);
    expect(readFileSync(findFile(stateRoot, "web%2Fblue-tf/terraform.tfstate.d/blue-tf/terraform.tfstate") as string, "utf8")).toContain("blue-tf:blue-2:ap-south");
  }, 400_000);
});

/** The first path under `root` ending with `suffix`, or null. */
function findFile(root: string, suffix: string): string | null {
  if (!existsSync(root)) return null;
  const hit = readdirSync(root, { recursive: true, encoding: "utf8" }).find((p) => p.endsWith(suffix));
  return hit === undefined ? null : join(root, hit);
}
