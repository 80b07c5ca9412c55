/**
 * The policy checker on real plans: the sample projects and a fixture project with broken
 * Project labels, planned with the real OpenTofu and hcloud provider from the offline toolchain,
 * with provider schemas read through the real adapter.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProviderSchemas } from "../../src/adapters/terraform/provider-schemas.js";
import { loadPolicyRules } from "../../src/config/policy-rules.js";
import { evaluatePolicy } from "../../src/domain/policy/evaluate-policy.js";
import { configDirsOf, createResourceLocator } from "../../src/domain/policy/locate-resources.js";
import type { TaggableLookup } from "../../src/domain/policy/taggable-lookup.js";
import { isTfgateError } from "../../src/domain/errors.js";
import { ensureToolchain, repoRoot, type Toolchain } from "../helpers/toolchain.js";
import { realPlan, type RealPlan } from "./real-plan.js";
import { createTestRunner } from "../helpers/test-engine.js";

const FIXTURE_REPO = join(import.meta.dirname, "..", "fixtures", "policy", "repo");
const SAMPLES = ["kirare", "ortensia", "stella-maris"] as const;

let toolchain: Toolchain;
let tmp: string;
let repo: string;
const plans = new Map<string, RealPlan>();
const lookups = new Map<string, TaggableLookup>();

const shippedRules = () => loadPolicyRules([{ path: "policies/project-tag.yaml", text: readFileSync(join(repoRoot, "policies", "project-tag.yaml"), "utf8") }]);

beforeAll(async () => {
  toolchain = ensureToolchain();
  tmp = mkdtempSync(join(tmpdir(), "tfgate-policy-"));
  repo = join(tmp, "repo");
  // A copy, so no .terraform, lock file or state lands in the repository.
  const noState = (src: string) => !/(^|\/)(\.terraform[^/]*|terraform\.tfstate[^/]*)$/.test(src);
  for (const dir of ["projects", "modules"]) cpSync(join(repoRoot, dir), join(repo, dir), { recursive: true, filter: noState });
  cpSync(FIXTURE_REPO, repo, { recursive: true });
  const schemas = createProviderSchemas({ runner: createTestRunner(), cacheDir: join(tmp, "schema-cache") });
  await Promise.all(
    [...SAMPLES, "tagtest"].map(async (name) => {
      const plan = await realPlan(toolchain, repo, `projects/${name}`, join(tmp, "scratch", name));
      plans.set(name, plan);
      lookups.set(name, await schemas.taggableLookup(lookupRequest(plan)));
    }),
  );
});

const lookupRequest = (plan: RealPlan) => ({ workspace: { dir: plan.checkoutDir, dataDir: plan.dataDir, tmpDir: plan.tmpDir }, workdir: plan.workdir, planJson: plan.planJson });

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

function evaluate(name: string, options: { expected?: string; unknown?: "error" | "warning" } = {}) {
  const plan = plans.get(name) as RealPlan;
  const projectDir = `projects/${name}`;
  const files = new Map<string, string>();
  for (const dir of configDirsOf(plan.planJson, projectDir)) {
    for (const f of readdirSync(join(repo, dir))) if (f.endsWith(".tf")) files.set(`${dir}/${f}`, readFileSync(join(repo, dir, f), "utf8"));
  }
  return evaluatePolicy({
    project: { name, ...(options.expected ? { expectedTag: options.expected } : {}) },
    planJson: plan.planJson,
    taggable: lookups.get(name) as TaggableLookup,
    rules: shippedRules(),
    settings: { tagKey: "Project", tagAttributes: ["tags_all", "tags", "labels"], unknownTagValues: options.unknown ?? "error" },
    locate: createResourceLocator({ planJson: plan.planJson, projectDir, files }),
  });
}

describe("real plans of the sample projects", () => {
  it.each(SAMPLES)("%s passes the shipped project-tag policy", (name) => {
    expect((plans.get(name)?.planJson as { format_version: string }).format_version).toBe("1.2");
    expect(evaluate(name)).toEqual({ status: "passed", warnings: [] });
  });

  it("checks every taggable resource, in modules and for_each instances (judged against another name)", () => {
    const addresses = (name: string) => {
      const r = evaluate(name, { expected: "elsewhere" });
      return r.status === "failed" ? r.violations.map((v) => `${v.address} @ ${v.file}:${v.line}`) : r.status;
    };
    expect(addresses("kirare")).toEqual(["hcloud_firewall.web @ projects/kirare/main.tf:16", "module.network.hcloud_network.this @ modules/network/main.tf:30"]);
    expect(addresses("ortensia")).toEqual([
      'hcloud_placement_group.workers["a"] @ projects/ortensia/main.tf:16',
      'hcloud_placement_group.workers["b"] @ projects/ortensia/main.tf:16',
      "module.network.hcloud_network.this @ modules/network/main.tf:30",
    ]);
    expect(addresses("stella-maris")).toEqual(["hcloud_firewall.ssh @ projects/stella-maris/main.tf:11"]);
  });
});

describe("real plan of a project with broken Project labels", () => {
  const at = (line: number) => ({ file: "projects/tagtest/main.tf", line });
  const fix = 'set Project = "tagtest" in labels';
  const expectedUnknown = {
    address: "hcloud_placement_group.later",
    rule: "project-tag",
    message: `labels is unknown until apply, so the Project tag cannot be checked; use values known at plan time: ${fix}`,
    ...at(49),
  };

  it("reports each broken resource, with file:line, without printing sensitive values", () => {
    const result = evaluate("tagtest");
    expect(result).toEqual({
      status: "failed",
      warnings: [],
      violations: [
        { address: "hcloud_firewall.missing", rule: "project-tag", message: 'no Project tag in labels: add Project = "tagtest" to labels', ...at(17) },
        { address: "hcloud_network.bare", rule: "project-tag", message: 'no Project tag in labels: add Project = "tagtest" to labels', ...at(23) },
        { address: "hcloud_placement_group.counted[0]", rule: "project-tag", message: `Project tag is "kirare", expected "tagtest" (the project's name): ${fix}`, ...at(37) },
        { address: "hcloud_placement_group.counted[1]", rule: "project-tag", message: `Project tag is "kirare", expected "tagtest" (the project's name): ${fix}`, ...at(37) },
        expectedUnknown,
        { address: "hcloud_placement_group.secret", rule: "project-tag", message: `Project tag is (sensitive), expected "tagtest" (the project's name): ${fix}`, ...at(56) },
        { address: 'hcloud_placement_group.workers["b"]', rule: "project-tag", message: `Project tag is "ortensia", expected "tagtest" (the project's name): ${fix}`, ...at(29) },
        {
          address: "module.net.hcloud_network.this",
          rule: "project-tag",
          message: `Project tag is "stella-maris", expected "tagtest" (the project's name): ${fix}`,
          file: "modules/tagged-net/main.tf",
          line: 18,
        },
      ],
    });
    // The plan holds the sensitive value in clear; the result must not.
    expect(JSON.stringify(plans.get("tagtest")?.planJson)).toContain("hidden-team");
    expect(JSON.stringify(result)).not.toContain("hidden-team");
  });

  it("turns unknown-until-apply values into warnings when configured", () => {
    const result = evaluate("tagtest", { unknown: "warning" });
    expect(result.status).toBe("failed");
    expect(result.status === "failed" && result.warnings).toEqual([expectedUnknown]);
    expect(result.status === "failed" && result.violations.map((v) => v.address)).not.toContain("hcloud_placement_group.later");
  });
});

describe("provider schemas adapter", () => {
  it("answers map attributes per resource type, including the built-in provider", () => {
    const lookup = lookups.get("tagtest") as TaggableLookup;
    expect(lookup("registry.opentofu.org/hetznercloud/hcloud", "hcloud_placement_group")).toEqual(["labels"]);
    expect(lookup("registry.opentofu.org/hetznercloud/hcloud", "hcloud_network_subnet")).toEqual([]);
    expect(lookup("terraform.io/builtin/terraform", "terraform_data")).toEqual([]);
    expect(lookup("registry.opentofu.org/hetznercloud/hcloud", "hcloud_nonexistent")).toBeUndefined();
    expect(lookup("registry.opentofu.org/hashicorp/aws", "aws_vpc")).toBeUndefined();
    const kirare = lookups.get("kirare") as TaggableLookup;
    expect(kirare("registry.opentofu.org/hashicorp/time", "time_static")).toEqual(["triggers"]);
  });

  it("caches per provider address and version on disk: a later process needs no tofu for them", async () => {
    const cacheDir = join(tmp, "schema-cache");
    expect(readdirSync(cacheDir).sort()).toEqual([
      expect.stringMatching(/^registry\.opentofu\.org_hashicorp_time@0\.14\.2-[0-9a-f]{12}\.json$/),
      expect.stringMatching(/^registry\.opentofu\.org_hetznercloud_hcloud@1\.68\.0-[0-9a-f]{12}\.json$/),
    ]);
    // kirare uses only versioned providers (hcloud, time): answered from disk with a binary that cannot run.
    const offline = createProviderSchemas({ runner: createTestRunner({ terraformBinary: join(tmp, "no-such-tofu") }), cacheDir });
    const kirare = plans.get("kirare") as RealPlan;
    const lookup = await offline.taggableLookup(lookupRequest(kirare));
    expect(lookup("registry.opentofu.org/hetznercloud/hcloud", "hcloud_firewall")).toEqual(["labels"]);
    // ortensia also uses the built-in provider, which is never cached on disk: it needs tofu.
    const ortensia = plans.get("ortensia") as RealPlan;
    const failed = await offline.taggableLookup(lookupRequest(ortensia)).catch((e: unknown) => e);
    expect(isTfgateError(failed, "terraform-failed")).toBe(true);
    expect(existsSync(join(repo, "projects", "kirare", ".terraform.lock.hcl"))).toBe(true);
  });
});
