/**
 * Policy evaluation of a generated plan JSON with 10,000 resource changes. Goal: < 200 ms.
 * The plan mixes what real plans hold: resources in nested modules, count and for_each
 * instances, untaggable types, data sources, deletes and replaces, unknown and sensitive tag
 * values; the rule set is the built-in Project tag rule plus one rule of every other kind.
 * Run alone with `npx tsx bench/policy-bench.ts`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { createConftestEngine } from "../src/adapters/policy/conftest-engine.js";
import { createSandbox } from "../src/adapters/runner/sandbox.js";
import { createTofuRunner } from "../src/adapters/runner/tofu-runner.js";
import { repoRoot } from "../test/helpers/repo-root.js";
import { loadPolicyRules } from "../src/config/policy-rules.js";
import { evaluatePolicy } from "../src/domain/policy/evaluate-policy.js";
import { formatBenchTable, median, timed, type BenchRow } from "./bench-table.js";

const HCLOUD = "registry.opentofu.org/hetznercloud/hcloud";
const AWS = "registry.terraform.io/hashicorp/aws";

const MAP_ATTRIBUTES: Record<string, Record<string, string[]>> = {
  [HCLOUD]: { hcloud_server: ["labels"], hcloud_network: ["labels"], hcloud_network_subnet: [], hcloud_firewall: ["labels"] },
  [AWS]: { aws_instance: ["tags", "tags_all", "volume_tags"], aws_s3_bucket: ["tags", "tags_all"], aws_route: [] },
};

/** A plan JSON (format 1.2 shape) with `n` resource changes; some break a rule, every aws_route warns. */
export function generatePlan(n: number, project: string): unknown {
  const types = [
    [HCLOUD, "hcloud_server"],
    [HCLOUD, "hcloud_network"],
    [HCLOUD, "hcloud_network_subnet"],
    [HCLOUD, "hcloud_firewall"],
    [AWS, "aws_instance"],
    [AWS, "aws_s3_bucket"],
    [AWS, "aws_route"],
  ] as const;
  const changes = [];
  for (let i = 0; i < n; i++) {
    const [provider, type] = types[i % types.length] as (typeof types)[number];
    const module = i % 3 === 0 ? `module.m${i % 40}["k${i % 7}"].module.inner` : i % 3 === 1 ? `module.m${i % 40}` : "";
    const name = `r${i % 50}`;
    const instance = i % 2 === 0 ? `["i${i}"]` : `[${i}]`;
    const address = `${module ? `${module}.` : ""}${type}.${name}${instance}`;
    const actions = i % 97 === 0 ? ["delete"] : i % 89 === 0 ? ["delete", "create"] : i % 5 === 0 ? ["update"] : i % 11 === 0 ? ["no-op"] : ["create"];
    const value = i % 53 === 0 ? "someone-else" : project;
    const tags = { Project: value, Environment: "production", CostCenter: "cc-1234", Name: `n${i}` };
    const aws = provider === AWS;
    const after = aws ? { tags, tags_all: tags, id: null } : { labels: tags, name: `n${i}` };
    const afterUnknown = i % 61 === 0 ? (aws ? { tags_all: true, id: true } : { labels: { Project: true } }) : { id: true };
    const afterSensitive = i % 71 === 0 ? (aws ? { tags: { Project: true }, tags_all: { Project: true } } : { labels: { Project: true } }) : {};
    changes.push({
      address,
      ...(module ? { module_address: module } : {}),
      mode: i % 43 === 0 ? "data" : "managed",
      type,
      name,
      index: i % 2 === 0 ? `i${i}` : i,
      provider_name: provider,
      change: { actions, before: null, after, after_unknown: afterUnknown, before_sensitive: false, after_sensitive: afterSensitive },
    });
  }
  return { format_version: "1.2", terraform_version: "1.12.6", resource_changes: changes, configuration: { root_module: {} } };
}

const RULES = `
version: 1
rules:
  - id: project-tag
    kind: project-tag
  - id: environment
    kind: required-tags
    resource_types: ["hcloud_*", "aws_*"]
    tags:
      - key: Environment
        allowed_values: [production, staging]
      - key: CostCenter
        pattern: "cc-[0-9]{4}"
  - id: no-routes
    kind: denied-resource-types
    types: ["aws_rout*"]
    severity: warning
  - id: blast-radius
    kind: change-limits
    max_destroys: 50
    max_replaces: 50
`;

/** The Project tag rule in Rego, as a team would port it to conftest. */
const REGO = `package main

import rego.v1

deny contains msg if {
  some rc in input.resource_changes
  rc.mode == "managed"
  some action in rc.change.actions
  action in {"create", "update"}
  tags := object.union(object.get(rc.change.after, "labels", {}), object.get(rc.change.after, "tags_all", {}))
  tags.Project != "kirare"
  msg := sprintf("%s: Project is %v", [rc.address, tags.Project])
}
`;

/** The same plan through the real conftest, in the sandbox, as the server runs it. */
async function benchRego(plan: unknown, n: number): Promise<BenchRow> {
  const conftest = join(process.env["TFGATE_TOOLCHAIN_DIR"] ?? join(repoRoot(), ".toolchain"), "bin", "conftest");
  const runner = createTofuRunner({ binary: conftest, sandbox: createSandbox("bwrap", "bwrap"), env: {}, path: process.env["PATH"] ?? "/usr/bin:/bin", toolchain: [conftest], niceness: 0, killGraceMs: 1000, setpriv: null, network: false });
  const tmpRoot = mkdtempSync(join(tmpdir(), "tfgate-bench-rego-"));
  const engine = createConftestEngine({ runner, tmpRoot });
  const samples: number[] = [];
  let findings = 0;
  try {
    for (let i = 0; i < 3; i++) {
      samples.push(
        await timed(async () => {
          const out = await engine.evaluate({ sources: [{ path: "policies/tags.rego", text: REGO }], planJson: plan });
          if (out.status !== "ok") throw new Error(`conftest failed in the bench: ${out.message}`);
          findings = out.findings.length;
        }),
      );
    }
  } finally {
    rmSync(tmpRoot, { recursive: true, force: true });
  }
  return { name: `Rego policy through conftest (sandboxed), ${n} resource changes`, value: median(samples), unit: "ms", goal: "-", ok: true, note: `${findings} findings, conftest 0.71.1 in bwrap, median of 3` };
}

export async function benchPolicy(): Promise<BenchRow[]> {
  const n = 10_000;
  const planText = JSON.stringify(generatePlan(n, "kirare"));
  const rules = loadPolicyRules([{ path: "policies/bench.yaml", text: RULES }]);
  if (!rules.ok) throw new Error(`bench rules do not load: ${JSON.stringify(rules.errors)}`);
  const taggable = (provider: string, type: string) => MAP_ATTRIBUTES[provider]?.[type];

  const evaluate = (planJson: unknown) => evaluatePolicy({ project: { name: "kirare" }, planJson, taggable, rules });
  const check = evaluate(JSON.parse(planText));
  if (check.status !== "failed" || check.violations.length < 100) throw new Error(`unexpected bench result: ${check.status}`);
  const findings = check.violations.length + check.warnings.length;

  // Warm up the JIT, then take the median; each run gets a freshly parsed plan (no shared caches).
  for (let i = 0; i < 3; i++) evaluate(JSON.parse(planText));
  const evalSamples: number[] = [];
  const totalSamples: number[] = [];
  for (let i = 0; i < 7; i++) {
    const parsed = JSON.parse(planText) as unknown;
    evalSamples.push(await timed(async () => evaluate(parsed)));
    totalSamples.push(await timed(async () => evaluate(JSON.parse(planText))));
  }
  const evalMs = median(evalSamples);
  const totalMs = median(totalSamples);
  const mb = (planText.length / 1024 / 1024).toFixed(1);
  return [
    { name: `policy evaluation, ${n} resource changes`, value: evalMs, unit: "ms", goal: "< 200 ms", ok: evalMs < 200, note: `${findings} findings, 4 rules, median of 7` },
    { name: `policy, JSON.parse + evaluation, ${n} resource changes`, value: totalMs, unit: "ms", goal: "-", ok: true, note: `${mb} MB plan JSON` },
    await benchRego(JSON.parse(planText), n),
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const rows = await benchPolicy();
  console.log(formatBenchTable(rows));
  if (rows.some((r) => !r.ok)) process.exitCode = 1;
}
