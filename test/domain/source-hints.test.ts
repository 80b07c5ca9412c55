import { describe, expect, it } from "vitest";
import { scanHcl } from "../../src/domain/projects/hcl-scan.js";
import { DYNAMIC_SOURCE, sourceHints } from "../../src/domain/projects/source-hints.js";

const hints = (text: string) => sourceHints(Buffer.from(text, "utf8"));

describe("sourceHints", () => {
  it.each<[string, string, readonly string[] | null]>([
    ["a module call", `module "m" {\n  source = "../../modules/net"\n}\n`, ["../../modules/net"]],
    ["tabs and CRLF", `module "m" {\r\n\tsource\t=\t"./x"\r\n}\r\n`, ["./x"]],
    ["no source at all", `resource "a" "b" {\n  x = 1\n}\n`, []],
    ["longer identifiers", `source_ips = ["0.0.0.0/0"]\ndata_source = "x"\nsource-dir = "y"\n`, []],
    ["a comparison and non-literals", `x = source == "a"\nmodule "m" {\n  source = var.dir\n}\n`, []],
    ["a source in a heredoc (an extra hint costs a scan)", `x = <<EOT\nsource = "../decoy"\nEOT\n`, ["../decoy"]],
    ["a comment before =", `module "m" {\n  source /* why */ = "../x"\n}\n`, null],
    ["a comment after =", `module "m" {\n  source = # here\n  "../x"\n}\n`, null],
    ["an escape", `module "m" {\n  source = "..\\/x"\n}\n`, null],
    ["an interpolation (OpenTofu evaluates it early: it may name any module)", `module "m" {\n  source = "../\${local.x}"\n}\n`, [DYNAMIC_SOURCE]],
    ["an object's interpolated source, then a module's literal one", `resource "aws_s3_object" "o" {\n  source = "\${path.module}/x.zip"\n}\nmodule "m" {\n  source = "../y"\n}\n`, [DYNAMIC_SOURCE, "../y"]],
    ["an escaped template sequence (a literal dollar-brace)", `module "m" {\n  source = "../$\${x}"\n}\n`, null],
    ["a string nested in an interpolation", `module "m" {\n  source = "\${lookup(x, "a")}"\n}\n`, null],
    ["a non-ASCII letter", `module "m" {\n  source = "../ä"\n}\n`, null],
    ["an unterminated string", `module "m" {\n  source = "../x\n}\n`, null],
    ["source at the very end", `source`, []],
    ["a byte-order mark between tokens (a blank to the lexer)", `module "m" {\n  source =\uFEFF"../x"\n}\n`, null],
    ["a byte-order mark at the start only", `\uFEFFmodule "m" {\n  source = "../x"\n}\n`, ["../x"]],
  ])("%s", (_name, text, expected) => {
    expect(hints(text)).toEqual(expected);
  });

  it("never misses a literal source the scanner finds", () => {
    // Every way the scanner accepts a literal source, each with a hint that names it.
    const texts = [
      `module "a" { source = "../a" }\n`,
      `module "b" {\n  source="./b"\n}\n`,
      `module "c" {\n  version = "1"\n  source  = ".."\n}\n`,
      `# source = "nothing"\nmodule "d" {\n  source = "../../d"\n}\n`,
      `locals {\n  s = "source"\n}\nmodule "e" {\n  source = "../e"\n}\n`,
    ];
    for (const text of texts) {
      const scan = scanHcl(text);
      if (!scan.ok) throw new Error(scan.message);
      const found = hints(text);
      for (const call of scan.summary.modules) expect(found === null || found.includes(call.source as string)).toBe(true);
    }
  });
});
