import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BINARIES, ensureToolchain } from "../helpers/toolchain.js";
import { NAME, OWNER } from "./server-harness.js";
import { useHarness } from "./use-harness.js";

/** A project that applies offline (terraform_data needs no API). */
const LEDGER = (v: string) => `resource "terraform_data" "entry" {\n  input = "${v}"\n}\n`;
/** Taggable (hcloud labels) and without the Project tag the built-in policy asks for. */
const UNTAGGED = `resource "hcloud_placement_group" "bastion" {\n  name   = "kirare-bastion"\n  type   = "spread"\n  labels = { Team = "sre" }\n}\n`;

/**
 * The same pull request flow with each binary tfgate supports, as the server runs them (sandboxed,
 * providers from the toolchain's mirror, which OpenTofu reads under registry.opentofu.org and
 * Terraform under registry.terraform.io). The toolchain provides both: a missing one fails here.
 */
describe.each(BINARIES)("GitHub App with %s: plan, policy, apply (real server, fake GitHub)", (binary) => {
  const tc = ensureToolchain();
  const h = useHarness({ env: { TFGATE_TERRAFORM_BINARY: tc[binary], TFGATE_APPROVER_TEAMS: "acme/sre" } });
  const replies = (n: number) => h.comments(n).filter((c) => c.body.startsWith("@alice"));
  const descriptions = (sha: string) => Object.fromEntries(h.fake.state.latestStatuses(OWNER, NAME, sha).map((s) => [s.context, `${s.state}: ${s.description ?? ""}`]));
  /** What the binary writes as `terraform_version` into plans and state. */
  const version = () => {
    const out = execFileSync(tc[binary], ["version", "-json"], { encoding: "utf8", env: { ...process.env, ...tc.env } });
    return (JSON.parse(out) as { terraform_version: string }).terraform_version;
  };
  let ledger = { number: 0, sha: "" };

  it("plans a pull request: statuses succeed and the summary counts the changes", async () => {
    ledger = await h.openPullRequest("ledger", { "projects/ledger/main.tf": LEDGER("one") });
    await h.waitFor("planned", () => h.statuses(ledger.sha)["tfgate/plan"] === "success");
    expect(descriptions(ledger.sha)["tfgate/plan: ledger"]).toBe("success: plan: +1 ~0 -0 ±0; policy passed");
    const summary = h.summary(ledger.number);
    expect(summary).toContain("+1 ~0 −0 ±0");
    expect(summary).toContain("terraform_data.entry");
  });

  it("fails the policy of a taggable resource without the Project tag", async () => {
    const pr = await h.openPullRequest("untagged", { "projects/kirare/bastion.tf": UNTAGGED });
    await h.waitFor("policy judged", () => h.statuses(pr.sha)["tfgate/plan"] === "failure");
    expect(descriptions(pr.sha)["tfgate/plan: kirare"]).toBe("failure: policy failed: 1 violation(s)");
    expect(h.summary(pr.number)).toContain("hcloud_placement_group.bastion");
  });

  it("applies the saved plan after an SRE approval; the next plan shows no changes", async () => {
    h.fake.state.addTeamMember("acme", "sre", "sam");
    h.fake.state.setPermission(OWNER, NAME, "sam", "write");
    await h.approve(ledger.number);
    await h.waitFor("ready to apply", () => h.summary(ledger.number).includes("ready to apply"));
    await h.comment(ledger.number, "alice", "/apply");
    const done = await h.waitFor("applied", () => replies(ledger.number).find((c) => c.body.includes("✅ `ledger` applied")));
    expect(done.body).toContain("Apply complete! Resources: 1 added, 0 changed, 0 destroyed.");
    await h.waitFor("apply status", () => h.statuses(ledger.sha)["tfgate/apply: ledger"] === "success");
    // The state was written by this binary, not the other one.
    const states = readdirSync(join(h.dataDir, "state"), { recursive: true, encoding: "utf8" }).filter((p) => p.endsWith("ledger/terraform.tfstate"));
    expect(states).toHaveLength(1);
    const state = JSON.parse(readFileSync(join(h.dataDir, "state", states[0] as string), "utf8")) as { terraform_version: string };
    expect(state.terraform_version).toBe(version());
    await h.comment(ledger.number, "alice", "/plan ledger");
    await h.waitFor("replanned: no changes", () => h.summary(ledger.number).includes("✅ no changes"));
  });
});
