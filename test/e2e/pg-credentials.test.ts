import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTerraform } from "../../src/adapters/terraform/terraform-cli.js";
import { createTestRepo, type TestRepo } from "../helpers/git-repo.js";
import { startPostgres, type TestPostgres } from "../helpers/postgres.js";
import { runCli } from "../helpers/run-cli.js";
import { createTestRunner } from "../helpers/test-engine.js";

const MAIN_TF = `terraform {
  backend "pg" {}
}
resource "terraform_data" "marker" {
  input = "tfgate-pg-credentials"
}
`;

/**
 * Remote state for real: a project with `backend "pg"` gets its connection string only from the
 * credentials file, inside the sandbox (real bwrap, real tofu, the tests' own PostgreSQL).
 */
describe("pg backend with the credentials file (real PostgreSQL, bwrap, tofu)", () => {
  let pg: TestPostgres;
  let repo: TestRepo;
  let dir: string;
  let database: string;

  beforeAll(async () => {
    pg = await startPostgres();
    database = await pg.createDatabase("tfgate_creds");
    dir = mkdtempSync(join(tmpdir(), "tfgate-pg-creds-"));
    repo = createTestRepo();
    repo.write({ "projects/vault/main.tf": "# empty\n" });
    repo.commit("base");
    repo.git("switch", "-q", "-c", "change");
    repo.write({ "projects/vault/main.tf": MAIN_TF });
    repo.commit("pg backend");
    writeFileSync(
      join(dir, "credentials.yaml"),
      `version: 1\ncredentials:\n  - projects: ["vault"]\n    plan:\n      env:\n        PG_CONN_STR: { from_env: TFGATE_TEST_PG_PLAN }\n`,
    );
  });
  afterAll(async () => {
    await pg?.stop();
    repo?.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("tfgate plan --sandbox bwrap reaches the state only through the project's credential, never through its own environment", async () => {
    const args = ["plan", "--repo", repo.dir, "--base", "main", "--head", "change", "--sandbox", "bwrap", "--data-dir", join(dir, "data"), "--json"];
    // tfgate's own PG_CONN_STR is not passed into the sandbox: without the credentials file, init fails.
    const without = await runCli(args, { PG_CONN_STR: database });
    expect(without.code, without.stderr).toBe(1);
    expect(JSON.parse(without.stdout).projects[0].status).toBe("error");

    const withCreds = await runCli([...args, "--credentials", join(dir, "credentials.yaml")], { TFGATE_TEST_PG_PLAN: database, PG_CONN_STR: "postgres://wrong@127.0.0.1:1/none" });
    expect(withCreds.code, withCreds.stderr + withCreds.stdout).toBe(0);
    const planned = JSON.parse(withCreds.stdout).projects[0];
    expect(planned).toMatchObject({ name: "vault", status: "changes", add: 1 });
    // The connection string (with its password) is scrubbed from everything printed.
    expect(withCreds.stdout + withCreds.stderr).not.toContain(database);
    // The backend's schema exists in PostgreSQL: init ran against it.
    expect(await pg.query("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'terraform_remote_state'", database)).toBe("1");
  });

  it("plans with the plan credential and applies with the apply credential; the state lands in PostgreSQL", async () => {
    const tf = createTerraform({ runner: createTestRunner(), lockTimeout: "10s" });
    const checkout = join(dir, "checkout");
    repo.git("worktree", "add", "-q", "--detach", checkout, "change");
    const job = (n: string) => ({ checkoutDir: checkout, workdir: join(checkout, "projects", "vault"), dataDir: join(dir, `tfdata-${n}`), tmpDir: mkdtempSync(join(tmpdir(), "tfgate-pg-tmp-")) });
    const plan = await tf.plan({ ...job("plan"), planFile: join(dir, "plans", "vault.tfplan"), credentials: { PG_CONN_STR: database } });
    if (plan.status !== "changes") throw new Error(JSON.stringify(plan).slice(0, 2000));
    // The apply step gets no plan credential: without its own, it cannot reach the state.
    const denied = await tf.apply({ ...job("nocreds"), planFile: plan.plan.path, planSha256: plan.plan.sha256, credentials: {} });
    expect(denied.status).not.toBe("applied");
    const applied = await tf.apply({ ...job("apply"), planFile: plan.plan.path, planSha256: plan.plan.sha256, credentials: { PG_CONN_STR: database } });
    expect(applied.status, JSON.stringify(applied).slice(0, 2000)).toBe("applied");
    const state = await pg.query("SELECT data FROM terraform_remote_state.states WHERE name = 'default'", database);
    expect(state).toContain("tfgate-pg-credentials");
    const again = await tf.plan({ ...job("again"), planFile: join(dir, "plans", "vault-2.tfplan"), credentials: { PG_CONN_STR: database } });
    expect(again.status).toBe("no-changes");
  });
});
