import { afterAll, describe, expect, it } from "vitest";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { parseConftestJson } from "../../src/adapters/policy/conftest-engine.js";
import type { PolicySource } from "../../src/domain/policy/rego-findings.js";
import { createTestEngine } from "../helpers/test-engine.js";

/**
 * A policy set in the shape of Atlantis's `policy_check` documentation (Rego v0, `package main`,
 * helper rules, `deny[msg]`), written here; then a v1 package with a data file and `warn`.
 */
const ATLANTIS_STYLE = `package main

resource_types = {"time_static", "terraform_data"}

resources[resource_type] = all {
    some resource_type
    resource_types[resource_type]
    all := [name |
        name := input.resource_changes[_]
        name.type == resource_type
    ]
}

num_creates[resource_type] = num {
    some resource_type
    resource_types[resource_type]
    all := resources[resource_type]
    creates := [res | res := all[_]; res.change.actions[_] == "create"]
    num := count(creates)
}

deny[msg] {
    num_resources := num_creates["time_static"]
    num_resources > 0
    msg := "time_static resources cannot be created"
}
`;

const V1_WITH_DATA = `package terraform.limits

import rego.v1

creates := [rc | some rc in input.resource_changes; "create" in rc.change.actions]

violation contains {"msg": sprintf("%d resources created, over the limit of %d", [count(creates), data.terraform.limits.max_creates]), "address": ""} if {
  count(creates) > data.terraform.limits.max_creates
}

warn contains {"msg": sprintf("%s is created without a description", [rc.address]), "address": rc.address} if {
  some rc in creates
  rc.type == "terraform_data"
  not rc.change.after.input.description
}
`;

function plan(...changes: Array<{ address: string; type: string; after: unknown }>): unknown {
  return {
    format_version: "1.2",
    resource_changes: changes.map((c) => ({ address: c.address, mode: "managed", type: c.type, name: c.address.split(".")[1], provider_name: "registry.opentofu.org/hashicorp/time", change: { actions: ["create"], before: null, after: c.after, after_unknown: {} } })),
  };
}

describe("Rego policies through the real conftest, in the sandbox", () => {
  const { engine, cleanup } = createTestEngine("tfgate-rego-");
  afterAll(cleanup);
  const evaluate = (sources: PolicySource[], planJson: unknown) => engine.rego.evaluate({ sources, planJson });

  it("runs an Atlantis-style Rego v0 policy set unchanged: deny in package main", async () => {
    const sources = [{ path: "policies/atlantis/policy.rego", text: ATLANTIS_STYLE }];
    expect(await evaluate(sources, plan({ address: "time_static.t", type: "time_static", after: {} }))).toEqual({
      status: "ok",
      findings: [{ severity: "failure", namespace: "main", query: "data.main.deny", message: "time_static resources cannot be created" }],
    });
    expect(await evaluate(sources, plan({ address: "terraform_data.d", type: "terraform_data", after: {} }))).toEqual({ status: "ok", findings: [] });
  });

  it("evaluates every package, data documents beside the policies, warn and violation with an address", async () => {
    const sources = [
      { path: "policies/atlantis/policy.rego", text: ATLANTIS_STYLE },
      { path: "policies/limits/limits.rego", text: V1_WITH_DATA },
      { path: "policies/terraform/limits/data.json", text: JSON.stringify({ max_creates: 1 }) },
    ];
    const result = await evaluate(sources, plan({ address: "terraform_data.a", type: "terraform_data", after: { input: {} } }, { address: "terraform_data.b", type: "terraform_data", after: { input: { description: "x" } } }));
    expect(result).toEqual({
      status: "ok",
      findings: [
        { severity: "failure", namespace: "terraform.limits", query: "data.terraform.limits.violation", message: "2 resources created, over the limit of 1" },
        { severity: "warning", namespace: "terraform.limits", query: "data.terraform.limits.warn", message: "terraform_data.a is created without a description", address: "terraform_data.a" },
      ].sort((a, b) => (a.severity < b.severity ? -1 : 1)),
    });
  });

  it("a policy that does not compile fails closed with the compiler's message, naming the file in policies/", async () => {
    const broken = "package main\n\ndeny contains msg if {\n  msg := \n}\n";
    const result = await evaluate([{ path: "policies/broken.rego", text: broken }], plan());
    expect(result.status).toBe("error");
    expect(result.status === "error" && result.message).toMatch(/the Rego policies could not be evaluated: .*policies\/broken\.rego:5: rego_parse_error/s);
    expect(result.status === "error" && result.message).not.toContain(tmpdir());
  });

  it("a policy cannot read tfgate's environment or files outside what it is given", async () => {
    process.env["TFGATE_REGO_PROBE"] = "secret-0123456789";
    const probe = `package main
import rego.v1
warn contains sprintf("env=%v", [object.get(opa.runtime().env, "TFGATE_REGO_PROBE", "absent")]) if { true }
`;
    const result = await evaluate([{ path: "policies/probe.rego", text: probe }], plan());
    expect(result).toEqual({ status: "ok", findings: [{ severity: "warning", namespace: "main", query: "data.main.warn", message: "env=absent" }] });
  });

  it("shows a deny an exception rule excused as a warning, never silently", async () => {
    const excused = `package main
import rego.v1
deny_time contains "time resources are not allowed" if { some rc in input.resource_changes; rc.type == "time_static" }
exception contains rules if { rules := ["time"] }
`;
    const result = await evaluate([{ path: "policies/excused.rego", text: excused }], plan({ address: "time_static.t", type: "time_static", after: {} }));
    expect(result.status === "ok" && result.findings.map((f) => [f.severity, f.query])).toEqual([["warning", "data.main.exception"]]);
  });

  it("gives conftest no network: a policy's http.send reaches nothing", async () => {
    let requests = 0;
    const server = createServer((_req, res) => {
      requests++;
      res.end("{}");
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    const port = (server.address() as AddressInfo).port;
    const probe = `package main
import rego.v1
warn contains sprintf("status %v", [http.send({"method": "get", "url": "http://127.0.0.1:${port}/", "raise_error": false}).status_code]) if { true }
`;
    try {
      const result = await evaluate([{ path: "policies/net.rego", text: probe }], plan());
      expect(requests).toBe(0);
      expect(result.status === "ok" && result.findings[0]?.message).toBe("status 0");
    } finally {
      server.close();
    }
  });

  it("refuses a policy path that would leave its directory (fail closed, nothing written outside)", async () => {
    const result = await evaluate([{ path: "policies/../../escape.rego", text: "package main\n" }], plan());
    expect(result).toEqual({ status: "error", file: "policies/../../escape.rego", message: "a policy file outside policies/ cannot be evaluated" });
  });

  it("reads conftest's JSON: messages, queries, object results' address or resource", () => {
    const out = JSON.stringify([{ filename: "plan.json", namespace: "main", successes: 0, failures: [{ msg: "m", metadata: { query: "data.main.deny", resource: "a.b" } }], warnings: [{ msg: "w" }] }]);
    expect(parseConftestJson(out)).toEqual({
      status: "ok",
      findings: [
        { severity: "failure", namespace: "main", query: "data.main.deny", message: "m", address: "a.b" },
        { severity: "warning", namespace: "main", query: "data.main.warn", message: "w" },
      ],
    });
    expect(parseConftestJson("Error: boom").status).toBe("error");
    expect(parseConftestJson("{}")).toEqual({ status: "error", file: "policies/", message: "conftest's output is not a list of results" });
  });
});
