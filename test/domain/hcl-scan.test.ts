import { describe, expect, it } from "vitest";
import { scanHcl, scanHclJson } from "../../src/domain/projects/hcl-scan.js";

describe("scanHcl", () => {
  it.each([
    ["a simple local module", `module "net" {\n  source = "../../modules/net"\n}\n`, [{ name: "net", source: "../../modules/net", line: 2 }]],
    ["a one-line block", `module "a" { source = "./a" }\n`, [{ name: "a", source: "./a", line: 1 }]],
    [
      "interpolation with nested strings and braces before the source",
      `module "x" {\n  name = "\${var.a == "}" ? "{" : "b"}"\n  tags = { a = "\${lookup({b = "c"}, "b")}" }\n  source = "./x"\n}\n`,
      [{ name: "x", source: "./x", line: 4 }],
    ],
    [
      "heredocs, comments and escaped interpolation",
      `# module "fake" { source = "./no" }\n/* module "fake2" {\n source = "./no" } */\nlocals {\n  t = <<-EOT\n    module "fake3" {\n      source = "./no"\n    }\n    EOT\n  s = "$\${literal} \\" }"\n}\nmodule "real" {\n  // source = "./commented"\n  source = "./real"\n}\n`,
      [{ name: "real", source: "./real", line: 14 }],
    ],
    ["a registry source", `module "vpc" {\n  source  = "terraform-aws-modules/vpc/aws"\n  version = "5.0.0"\n}\n`, [{ name: "vpc", source: "terraform-aws-modules/vpc/aws", line: 2 }]],
    ["a non-literal source", `module "v" {\n  source = "\${path.module}/x"\n}\n`, [{ name: "v", source: null, line: 2 }]],
    ["a nested block named module is not a module call", `resource "a" "b" {\n  module {\n    source = "./x"\n  }\n}\n`, []],
    ["multi-line expressions", `module "m" {\n  list = [\n    "a",\n    "b",\n  ]\n  source = "./m"\n  obj = {\n    k = "v"\n  }\n}\n`, [{ name: "m", source: "./m", line: 6 }]],
  ])("finds module calls: %s", (_name, text, modules) => {
    const r = scanHcl(text);
    expect(r).toEqual({ ok: true, summary: { modules, hasBackend: false } });
  });

  it("detects a backend or cloud block", () => {
    expect(scanHcl(`terraform {\n  backend "s3" {\n    bucket = "b"\n  }\n}\n`)).toMatchObject({ ok: true, summary: { hasBackend: true } });
    expect(scanHcl(`terraform {\n  cloud {\n    organization = "o"\n  }\n}\n`)).toMatchObject({ ok: true, summary: { hasBackend: true } });
    expect(scanHcl(`terraform {\n  required_version = ">= 1.6"\n}\n`)).toMatchObject({ ok: true, summary: { hasBackend: false } });
  });

  it.each([
    ["an unterminated string", `module "a" {\n  source = "./a\n}\n`, 2, "unterminated string"],
    ["a missing closing brace", `module "a" {\n  source = "./a"\n`, 1, "missing }"],
    ["a stray closing brace", `locals {}\n}\n`, 2, "unexpected }"],
    ["an unterminated heredoc", `locals {\n  a = <<EOT\n  text\n}\n`, 2, "unterminated heredoc"],
    ["an unterminated comment", `/* open\nlocals {}\n`, 1, "unterminated /* comment"],
    ["garbage at item start", `locals {}\n"oops"\n`, 2, "expected an attribute name or a block type"],
  ])("reports %s with its line", (_name, text, line, message) => {
    const r = scanHcl(text);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.line).toBe(line);
      expect(r.message).toContain(message);
    }
  });

  it("reads JSON configuration syntax", () => {
    const r = scanHclJson(JSON.stringify({ module: { net: { source: "../net" } }, terraform: { backend: { local: {} } } }));
    expect(r).toEqual({ ok: true, summary: { modules: [{ name: "net", source: "../net", line: 1 }], hasBackend: true } });
    expect(scanHclJson("{ nope").ok).toBe(false);
  });

  it("reports configuration nested too deeply to read instead of crashing", () => {
    const deep = `${"a {\n".repeat(20_000)}${"}\n".repeat(20_000)}`;
    expect(scanHcl(deep)).toEqual({ ok: false, line: 1, message: "nested too deeply to read" });
  });
});
