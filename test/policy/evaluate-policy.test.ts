import { describe, expect, it } from "vitest";
import { evaluatePolicy, type PolicyInput } from "../../src/domain/policy/evaluate-policy.js";
import type { PolicyRule } from "../../src/domain/policy/policy-rule.js";
import { AWS_PLAN, AWS_PLAN_NO_DEFAULT_TAGS } from "../fixtures/policy/aws-default-tags-plan.js";
import { AWS, GOOGLE, lookup, planJson } from "./plan-builder.js";

const kirare = { name: "kirare" };
const noRules = { ok: true as const, rules: [] };

function run(plan: unknown, extra: Partial<PolicyInput> = {}) {
  return evaluatePolicy({ project: kirare, planJson: plan, taggable: lookup, rules: noRules, ...extra });
}

describe("built-in Project tag rule (hcloud-shaped plans)", () => {
  it("passes when every taggable resource has Project = <project>", () => {
    const plan = planJson([
      { address: "hcloud_firewall.web", after: { labels: { Project: "kirare", ManagedBy: "tfgate" } } },
      { address: "module.network.hcloud_network.this", module_address: "module.network", after: { labels: { Project: "kirare" } } },
      { address: "module.network.hcloud_network_subnet.this", module_address: "module.network", after: {} },
    ]);
    expect(run(plan)).toEqual({ status: "passed", warnings: [] });
  });

  it("reports missing, wrong and absent label maps with how to fix them", () => {
    const plan = planJson([
      { address: "hcloud_firewall.web", after: { labels: { Team: "x" } } },
      { address: 'hcloud_placement_group.workers["a"]', after: { labels: { Project: "ortensia" } } },
      { address: 'hcloud_placement_group.workers["b"]', after: { labels: null } },
      { address: "hcloud_server.nolabels", after: { name: "x" } },
    ]);
    expect(run(plan)).toEqual({
      status: "failed",
      warnings: [],
      violations: [
        { address: "hcloud_firewall.web", rule: "project-tag", message: 'no Project tag in labels: add Project = "kirare" to labels' },
        {
          address: 'hcloud_placement_group.workers["a"]',
          rule: "project-tag",
          message: 'Project tag is "ortensia", expected "kirare" (the project\'s name): set Project = "kirare" in labels',
        },
        { address: 'hcloud_placement_group.workers["b"]', rule: "project-tag", message: 'no Project tag in labels: add Project = "kirare" to labels' },
        { address: "hcloud_server.nolabels", rule: "project-tag", message: 'no Project tag in labels: add Project = "kirare" to labels' },
      ],
    });
  });

  it("checks creates, updates and the create half of replaces; not deletes, reads, no-ops or data sources", () => {
    const bad = { labels: {} };
    const plan = planJson([
      { address: "hcloud_server.created", actions: ["create"], after: bad },
      { address: "hcloud_server.updated", actions: ["update"], after: bad },
      { address: "hcloud_server.replaced", actions: ["delete", "create"], after: bad },
      { address: "hcloud_server.cbd", actions: ["create", "delete"], after: bad },
      { address: "hcloud_server.deleted", actions: ["delete"], after: null },
      { address: "hcloud_server.same", actions: ["no-op"], after: bad },
      { address: "hcloud_server.forgotten", actions: ["forget"], after: null },
      { address: "data.hcloud_server.read", mode: "data", actions: ["read"], after: bad },
    ]);
    const result = run(plan);
    expect(result.status === "failed" && result.violations.map((v) => v.address)).toEqual([
      "hcloud_server.created",
      "hcloud_server.updated",
      "hcloud_server.replaced",
      "hcloud_server.cbd",
    ]);
  });

  it("uses the per-project expected value and says where it comes from", () => {
    const plan = planJson([{ address: "hcloud_server.a", after: { labels: { Project: "kirare" } } }]);
    expect(run(plan, { project: { name: "kirare", expectedTag: "kirare-prod" } })).toEqual({
      status: "failed",
      warnings: [],
      violations: [
        {
          address: "hcloud_server.a",
          rule: "project-tag",
          message: 'Project tag is "kirare", expected "kirare-prod" (this project\'s project_tag in tfgate.yaml): set Project = "kirare-prod" in labels',
        },
      ],
    });
  });

  it("treats values unknown until apply as violations, or warnings when configured", () => {
    const plan = planJson([
      { address: "hcloud_server.a", after: { labels: {} }, after_unknown: { labels: { Project: true } } },
      { address: "hcloud_server.b", after: {}, after_unknown: { labels: true } },
    ]);
    const expected = [
      {
        address: "hcloud_server.a",
        rule: "project-tag",
        message: 'Project tag value is unknown until apply; use a value known at plan time: set Project = "kirare" in labels',
      },
      {
        address: "hcloud_server.b",
        rule: "project-tag",
        message: 'labels is unknown until apply, so the Project tag cannot be checked; use values known at plan time: set Project = "kirare" in labels',
      },
    ];
    expect(run(plan)).toEqual({ status: "failed", warnings: [], violations: expected });
    const settings = { tagKey: "Project", tagAttributes: ["tags_all", "tags", "labels"], unknownTagValues: "warning" as const };
    expect(run(plan, { settings })).toEqual({ status: "passed", warnings: expected });
    // A project-tag rule in policies/ that sets unknown_values wins over the settings.
    const rule = { id: "project-tag", kind: "project-tag" as const, file: "policies/project-tag.yaml", line: 3, scope: { include: ["*"], exclude: [] }, severity: "error" as const };
    expect(run(plan, { settings, rules: { ok: true, rules: [{ ...rule, unknownValues: "error" }] } })).toEqual({ status: "failed", warnings: [], violations: expected });
    expect(run(plan, { rules: { ok: true, rules: [{ ...rule, unknownValues: "warning" }] } })).toEqual({ status: "passed", warnings: expected });
  });

  it("honours a configured tag key and attribute list", () => {
    const plan = planJson([{ address: "hcloud_server.a", after: { labels: { project: "kirare" } } }]);
    expect(run(plan).status).toBe("failed");
    expect(run(plan, { settings: { tagKey: "project", tagAttributes: ["labels"], unknownTagValues: "error" } }).status).toBe("passed");
    // A list without `labels`: hcloud resources are not taggable, nothing to check.
    expect(run(plan, { settings: { tagKey: "Project", tagAttributes: ["tags"], unknownTagValues: "error" } }).status).toBe("passed");
  });

  it("fails closed when a provider schema is missing or the plan JSON is not a plan", () => {
    const plan = planJson([{ address: "hcloud_server.a", after: { labels: { Project: "kirare" } } }]);
    expect(run(plan, { taggable: () => undefined })).toEqual({
      status: "error",
      errors: [
        {
          file: "provider schemas",
          key: "registry.opentofu.org/hetznercloud/hcloud.hcloud_server",
          line: null,
          message: "no schema for resource type hcloud_server (hcloud_server.a): cannot tell whether it is taggable",
        },
      ],
    });
    expect(run({ format_version: "0.1" })).toEqual({
      status: "error",
      errors: [{ file: "plan JSON", key: "", line: null, message: 'unsupported plan JSON format_version "0.1" (expected 1.x)' }],
    });
    expect(run({ format_version: "1.2", resource_changes: [{ address: "x" }] }).status).toBe("error");
    expect(run({ format_version: "1.2" })).toEqual({ status: "passed", warnings: [] });
  });

  it("fails closed when the policy files could not be read", () => {
    const errors = [{ file: "policies/x.yaml", key: "rules[0].colour", line: 4, message: "unknown key" }];
    expect(run(planJson([]), { rules: { ok: false, errors } })).toEqual({ status: "error", errors });
  });

  it("adds the file and line of a resource when a locator knows it", () => {
    const plan = planJson([{ address: "hcloud_server.a", after: { labels: {} } }]);
    const result = run(plan, { locate: (c) => (c.name === "a" ? { file: "projects/kirare/main.tf", line: 7 } : undefined) });
    expect(result.status === "failed" && result.violations[0]).toMatchObject({ file: "projects/kirare/main.tf", line: 7 });
  });
});

describe("AWS semantics: tags versus tags_all with default_tags (hand-built format 1.2 fixtures)", () => {
  it("counts default_tags, prefers tags_all, falls back to known tags when tags_all is unknown, redacts sensitive values", () => {
    const result = run(AWS_PLAN);
    expect(result).toEqual({
      status: "failed",
      warnings: [],
      violations: [
        {
          address: "aws_s3_bucket.logs",
          rule: "project-tag",
          message: 'Project tag is "ortensia", expected "kirare" (the project\'s name): set Project = "kirare" in tags, or in the provider\'s default_tags',
        },
        {
          address: "aws_vpc.main",
          rule: "project-tag",
          message:
            'tags_all is unknown until apply, so the Project tag cannot be checked; use values known at plan time: set Project = "kirare" in tags, or in the provider\'s default_tags',
        },
        {
          address: "aws_s3_bucket.secret",
          rule: "project-tag",
          message: 'Project tag is (sensitive), expected "kirare" (the project\'s name): set Project = "kirare" in tags, or in the provider\'s default_tags',
        },
      ],
    });
    expect(JSON.stringify(result)).not.toContain("s3cr3t");
  });

  it("points at tags or default_tags when neither sets Project", () => {
    expect(run(AWS_PLAN_NO_DEFAULT_TAGS)).toEqual({
      status: "failed",
      warnings: [],
      violations: [
        { address: "aws_vpc.bare", rule: "project-tag", message: 'no Project tag in tags_all: add Project = "kirare" to tags, or to the provider\'s default_tags' },
      ],
    });
  });

  it("uses tags when tags_all is not among the configured attributes", () => {
    const settings = { tagKey: "Project", tagAttributes: ["tags"], unknownTagValues: "error" as const };
    // aws_iam_role.ci has Project only through default_tags: invisible in tags.
    const result = run(AWS_PLAN, { settings });
    expect(result.status === "failed" && result.violations.find((v) => v.address === "aws_iam_role.ci")?.message).toBe(
      'no Project tag in tags: add Project = "kirare" to tags',
    );
    expect(lookup(AWS, "aws_route")).toEqual([]);
  });
});

describe("Google semantics: labels versus terraform_labels with default_labels (hand-built format 1.2 fixtures)", () => {
  // Shapes as the Google provider's labels documentation describes them (provider 5.0+): the
  // plan holds labels as written, terraform_labels = default_labels merged with labels, and
  // effective_labels. Keys are lowercase (GCP refuses others), so `Project` is looked up as `project`.
  const labels = (own: Record<string, string>, defaults: Record<string, string>) => ({ labels: own, terraform_labels: { ...defaults, ...own }, effective_labels: { ...defaults, ...own } });

  it("counts default_labels, prefers terraform_labels, looks the key up lowercased, ignores types without labels", () => {
    const plan = planJson([
      { address: "google_storage_bucket.from_defaults", provider: GOOGLE, after: labels({ team: "data" }, { project: "kirare" }) },
      { address: "google_storage_bucket.own", provider: GOOGLE, after: labels({ project: "kirare" }, {}) },
      { address: "google_compute_network.vpc", provider: GOOGLE, after: { name: "vpc" } },
    ]);
    expect(run(plan)).toEqual({ status: "passed", warnings: [] });
  });

  it("points at labels or default_labels, and falls back to known labels when terraform_labels is unknown", () => {
    const plan = planJson([
      { address: "google_storage_bucket.wrong", provider: GOOGLE, after: labels({ project: "ortensia" }, {}) },
      { address: "google_compute_instance.bare", provider: GOOGLE, after: labels({}, {}) },
      // A label value from another resource makes the provider mark the whole computed map unknown.
      {
        address: "google_compute_instance.known",
        provider: GOOGLE,
        after: { labels: { project: "kirare" } },
        after_unknown: { labels: { disk: true }, terraform_labels: true, effective_labels: true },
      },
      { address: "google_compute_instance.unknown", provider: GOOGLE, after: { labels: {} }, after_unknown: { labels: { project: true }, terraform_labels: true, effective_labels: true } },
    ]);
    expect(run(plan)).toEqual({
      status: "failed",
      warnings: [],
      violations: [
        { address: "google_storage_bucket.wrong", rule: "project-tag", message: 'project tag is "ortensia", expected "kirare" (the project\'s name): set project = "kirare" in labels, or in the provider\'s default_labels' },
        { address: "google_compute_instance.bare", rule: "project-tag", message: 'no project tag in terraform_labels: add project = "kirare" to labels, or to the provider\'s default_labels' },
        {
          address: "google_compute_instance.unknown",
          rule: "project-tag",
          message: 'terraform_labels is unknown until apply, so the project tag cannot be checked; use values known at plan time: set project = "kirare" in labels, or in the provider\'s default_labels',
        },
      ],
    });
  });

  it("required tags from policies/ read Google labels the same way", () => {
    const rule: PolicyRule = { id: "team", kind: "required-tags", resourceTypes: ["google_*"], tags: [{ key: "Team", match: { kind: "one-of", values: ["data"] } }], file: "policies/t.yaml", line: 1, scope: { include: ["*"], exclude: [] }, severity: "error" };
    const plan = planJson([
      { address: "google_storage_bucket.ok", provider: GOOGLE, after: labels({ project: "kirare" }, { team: "data" }) },
      { address: "google_storage_bucket.no", provider: GOOGLE, after: labels({ project: "kirare" }, {}) },
    ]);
    expect(run(plan, { rules: { ok: true, rules: [rule] } })).toEqual({
      status: "failed",
      warnings: [],
      violations: [{ address: "google_storage_bucket.no", rule: "team", message: 'no team tag in terraform_labels: add team = "data" to labels (or the provider\'s default_labels)' }],
    });
  });
});

describe("rules from policies/", () => {
  const base = { file: "policies/team.yaml", line: 3, scope: { include: ["*"], exclude: [] }, severity: "error" as const };
  const rules = (list: PolicyRule[]) => ({ ok: true as const, rules: list });

  it("required tags with allowed values, a regex, or presence only", () => {
    const plan = planJson([
      { address: "hcloud_server.ok", after: { labels: { Project: "kirare", Env: "prod", Cost: "cc-1234", Owner: "me" } } },
      { address: "hcloud_server.bad", after: { labels: { Project: "kirare", Env: "qa", Cost: "cc-12345" } } },
      { address: "hcloud_firewall.skipped", after: { labels: { Project: "kirare" } } },
    ]);
    const result = run(plan, {
      rules: rules([
        {
          ...base,
          id: "team-tags",
          kind: "required-tags",
          resourceTypes: ["hcloud_server"],
          tags: [
            { key: "Env", match: { kind: "one-of", values: ["prod", "staging"] } },
            { key: "Cost", match: { kind: "pattern", pattern: "cc-[0-9]{4}" } },
            { key: "Owner", match: { kind: "present" } },
          ],
        },
      ]),
    });
    expect(result).toEqual({
      status: "failed",
      warnings: [],
      violations: [
        { address: "hcloud_server.bad", rule: "team-tags", message: 'Env tag is "qa", expected one of "prod", "staging": set it in labels' },
        { address: "hcloud_server.bad", rule: "team-tags", message: 'Cost tag is "cc-12345", expected a value matching /cc-[0-9]{4}/: set it in labels' },
        { address: "hcloud_server.bad", rule: "team-tags", message: 'no Owner tag in labels: add Owner = "<value>" to labels' },
      ],
    });
  });

  it("denied resource types by glob, not for deletes", () => {
    const plan = planJson([
      { address: "hcloud_server.new", after: { labels: { Project: "kirare" } } },
      { address: "hcloud_server.old", actions: ["delete"], after: null },
      { address: "hcloud_firewall.web", after: { labels: { Project: "kirare" } } },
    ]);
    const result = run(plan, {
      rules: rules([{ ...base, id: "no-servers", kind: "denied-resource-types", types: ["hcloud_serv*"], reason: "use the fleet project" }]),
    });
    expect(result).toEqual({
      status: "failed",
      warnings: [],
      violations: [
        { address: "hcloud_server.new", rule: "no-servers", message: "resource type hcloud_server is not allowed (use the fleet project): remove it from the configuration" },
      ],
    });
  });

  it("limits destroys and replaces per project plan", () => {
    const plan = planJson([
      { address: "hcloud_server.a", actions: ["delete"], after: null },
      { address: "hcloud_server.b", actions: ["delete"], after: null },
      { address: "hcloud_server.c", actions: ["delete", "create"], after: { labels: { Project: "kirare" } } },
      { address: "data.hcloud_server.d", mode: "data", actions: ["delete"], after: null },
    ]);
    const limit = (maxDestroys: number, maxReplaces: number) =>
      run(plan, { rules: rules([{ ...base, id: "blast-radius", kind: "change-limits", maxDestroys, maxReplaces }]) });
    expect(limit(2, 1)).toEqual({ status: "passed", warnings: [] });
    expect(limit(1, 0)).toEqual({
      status: "failed",
      warnings: [],
      violations: [
        {
          address: "",
          rule: "blast-radius",
          message:
            "the plan destroys 2 resources, more than the 1 allowed: hcloud_server.a, hcloud_server.b. Split the change into smaller pull requests, or raise max_destroys in policies/team.yaml (rule blast-radius)",
        },
        {
          address: "",
          rule: "blast-radius",
          message:
            "the plan replaces 1 resource, more than the 0 allowed: hcloud_server.c. Split the change into smaller pull requests, or raise max_replaces in policies/team.yaml (rule blast-radius)",
        },
      ],
    });
  });

  it("scopes rules to projects by name glob, applies severity, and replaces the built-in rule when policies/ configures it", () => {
    const plan = planJson([{ address: "hcloud_server.a", after: { labels: { Project: "kirare" } } }]);
    const deny = { ...base, id: "deny", kind: "denied-resource-types" as const, types: ["hcloud_server"] };
    expect(run(plan, { rules: rules([{ ...deny, scope: { include: ["ortensia", "k*"], exclude: [] } }]) }).status).toBe("failed");
    expect(run(plan, { rules: rules([{ ...deny, scope: { include: ["ortensia"], exclude: [] } }]) }).status).toBe("passed");
    expect(run(plan, { rules: rules([{ ...deny, scope: { include: ["*"], exclude: ["kir*"] } }]) }).status).toBe("passed");
    expect(run(plan, { rules: rules([{ ...deny, severity: "warning" }]) })).toEqual({
      status: "passed",
      warnings: [{ address: "hcloud_server.a", rule: "deny", message: "resource type hcloud_server is not allowed: remove it from the configuration" }],
    });
    // A project-tag rule in policies/ with another key replaces the implicit built-in one.
    const custom: PolicyRule = { ...base, id: "owner-project", kind: "project-tag", key: "owner" };
    expect(run(plan, { rules: rules([custom]) })).toEqual({
      status: "failed",
      warnings: [],
      violations: [{ address: "hcloud_server.a", rule: "owner-project", message: 'no owner tag in labels: add owner = "kirare" to labels' }],
    });
    // Scoped away from this project: no Project tag rule applies to it at all.
    expect(run(planJson([{ address: "hcloud_server.a", after: {} }]), { rules: rules([{ ...custom, scope: { include: ["other"], exclude: [] } }]) }).status).toBe(
      "passed",
    );
  });
});
