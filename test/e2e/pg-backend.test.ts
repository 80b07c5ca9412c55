import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPostgres, type TestPostgres } from "../helpers/postgres.js";
import { ensureToolchain, type Toolchain } from "../helpers/toolchain.js";

const MAIN_TF = `terraform {
  backend "pg" {}
  required_providers {
    time = { source = "hashicorp/time" }
  }
}

resource "time_static" "created" {}

resource "terraform_data" "marker" {
  input = "tfgate-pg-backend"
}

output "created" {
  value = time_static.created.rfc3339
}
`;

interface TofuRun {
  readonly code: number;
  readonly output: string;
}

/** Real remote state: OpenTofu's pg backend against the tests' own PostgreSQL. */
describe("OpenTofu's pg backend on a throwaway PostgreSQL (real tofu)", () => {
  let pg: TestPostgres;
  let tc: Toolchain;
  let root: string;
  let database: string;
  const project = () => join(root, "project");

  /** tofu in the project, with only the environment it needs; PG_CONN_STR is the backend's connection. */
  const tofu = (dataDir: string, ...args: string[]): Promise<TofuRun> =>
    new Promise((resolve) => {
      execFile(tc.tofu, args, {
        cwd: project(),
        timeout: 120_000,
        env: {
          PATH: process.env["PATH"] ?? "/usr/bin:/bin", HOME: root, TF_IN_AUTOMATION: "1",
          TF_CLI_CONFIG_FILE: tc.cliConfig, CHECKPOINT_DISABLE: "1", TF_DATA_DIR: dataDir, PG_CONN_STR: database,
        },
      }, (err, stdout, stderr) => {
        const code = err ? (typeof err.code === "number" ? err.code : -1) : 0;
        resolve({ code, output: `${stdout}${stderr}` });
      });
    });
  const init = (dataDir: string) => tofu(dataDir, "init", "-input=false", "-no-color");

  beforeAll(async () => {
    tc = ensureToolchain();
    pg = await startPostgres();
    database = await pg.createDatabase("pg_backend");
    root = mkdtempSync(join(tmpdir(), "tfgate-pg-backend-"));
    mkdirSync(project());
    writeFileSync(join(project(), "main.tf"), MAIN_TF);
  });
  afterAll(async () => {
    await pg?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it("init, plan and apply write the state into PostgreSQL; a plan from a fresh checkout then shows no changes", async () => {
    const first = join(root, "data-first");
    const i = await init(first);
    expect(i.code, i.output).toBe(0);
    expect(i.output).toContain('Successfully configured the backend "pg"');

    const plan = await tofu(first, "plan", "-input=false", "-no-color", "-detailed-exitcode", `-out=${join(root, "first.tfplan")}`);
    expect(plan.code, plan.output).toBe(2);
    const apply = await tofu(first, "apply", "-input=false", "-no-color", join(root, "first.tfplan"));
    expect(apply.code, apply.output).toBe(0);
    expect(apply.output).toContain("Apply complete! Resources: 2 added, 0 changed, 0 destroyed.");

    // The state is in the database, not next to the configuration.
    expect(existsSync(join(project(), "terraform.tfstate"))).toBe(false);
    expect(await pg.query("SELECT name FROM terraform_remote_state.states", database)).toBe("default");
    const state = JSON.parse(await pg.query("SELECT data FROM terraform_remote_state.states WHERE name = 'default'", database)) as {
      resources: { type: string; name: string }[];
      outputs: { created: { value: string } };
    };
    expect(state.resources.map((r) => `${r.type}.${r.name}`).sort()).toEqual(["terraform_data.marker", "time_static.created"]);
    expect(state.outputs.created.value).toMatch(/^\d{4}-\d\d-\d\dT/);

    // A new data dir knows nothing locally: no changes can only come from the state in PostgreSQL.
    const fresh = join(root, "data-fresh");
    expect((await init(fresh)).code).toBe(0);
    const again = await tofu(fresh, "plan", "-input=false", "-no-color", "-detailed-exitcode");
    expect(again.code, again.output).toBe(0);
    expect(again.output).toContain("No changes.");
  });
});
