/**
 * Docker is not available where the suite runs, so the image is checked without building it:
 * a linter (dockerfile-utils, the validator behind VS Code's Dockerfile support) and the contract
 * the rest of tfgate relies on, read from the parsed Dockerfile. What this cannot check (that the
 * build succeeds, that the server starts in it) is listed in the report of the review.
 */
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { DockerfileParser, type Copy, type Instruction } from "dockerfile-ast";
import { ValidationSeverity, validate, type ValidatorSettings } from "dockerfile-utils";
import picomatch from "picomatch";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../helpers/repo-root.js";

const root = repoRoot();
const text = readFileSync(join(root, "Dockerfile"), "utf8");
const dockerfile = DockerfileParser.parse(text);
const instructions = dockerfile.getInstructions();
const lastFrom = instructions.map((i) => i.getKeyword()).lastIndexOf("FROM");
const finalStage = instructions.slice(lastFrom + 1);

const args = (i: Instruction) => i.getArguments().map((a) => a.getValue());
const inFinal = (keyword: string) => finalStage.filter((i) => i.getKeyword() === keyword);
/** The instruction's text after the keyword, continuation lines joined. */
const content = (i: Instruction) => (i.getArgumentsContent() ?? "").replace(/\\\n/g, " ");
/** A COPY as written: its flags (the parser keeps them apart), then sources and destination. */
const copyText = (i: Instruction) => [...(i as Copy).getFlags().map((f) => f.toString()), ...args(i)].join(" ");

/** `ARG NAME=default` declarations, global and per stage. */
function argDefaults(): Map<string, string | null> {
  const out = new Map<string, string | null>();
  for (const i of instructions.filter((x) => x.getKeyword() === "ARG")) {
    const [decl = ""] = args(i);
    const [name = "", value] = decl.split("=", 2);
    out.set(name, value ?? null);
  }
  return out;
}

/** `.dockerignore` as Docker reads it: patterns from the context root, the last match wins. */
function dockerIgnored(path: string): boolean {
  const lines = readFileSync(join(root, ".dockerignore"), "utf8")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));
  const prefixes = path.split("/").map((_, i, parts) => parts.slice(0, i + 1).join("/"));
  let ignored = false;
  for (const line of lines) {
    const negate = line.startsWith("!");
    const matches = picomatch(line.replace(/^!/, "").replace(/^\//, ""), { dot: true });
    // Excluding a directory excludes everything in it.
    if (prefixes.some((p) => matches(p))) ignored = !negate;
  }
  return ignored;
}

function filesUnder(path: string): string[] {
  const abs = join(root, path);
  if (!statSync(abs).isDirectory()) return [path];
  return readdirSync(abs, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)));
}

describe("Dockerfile", () => {
  it("has no problems the Dockerfile linter finds, every check at error severity", () => {
    const strict: ValidatorSettings = {
      deprecatedMaintainer: ValidationSeverity.ERROR,
      directiveCasing: ValidationSeverity.ERROR,
      emptyContinuationLine: ValidationSeverity.ERROR,
      instructionCasing: ValidationSeverity.ERROR,
      instructionCmdMultiple: ValidationSeverity.ERROR,
      instructionEntrypointMultiple: ValidationSeverity.ERROR,
      instructionHealthcheckMultiple: ValidationSeverity.ERROR,
      instructionJSONInSingleQuotes: ValidationSeverity.ERROR,
      instructionWorkdirRelative: ValidationSeverity.ERROR,
    };
    const problems = validate(text, strict).map((d) => `Dockerfile:${d.range.start.line + 1}: ${d.message}`);
    expect(problems).toEqual([]);
  });

  it("builds in stages on a pinned Node LTS, the same Node for build and runtime (native addon ABI)", () => {
    const froms = dockerfile.getFROMs();
    expect(froms.length).toBeGreaterThanOrEqual(2);
    const nodeVersion = argDefaults().get("NODE_VERSION") ?? "";
    expect(nodeVersion).toMatch(/^\d+\.\d+\.\d+$/);
    expect(Number(nodeVersion.split(".")[0]) % 2, "LTS lines are even").toBe(0);
    expect(Number(nodeVersion.split(".")[0])).toBeGreaterThanOrEqual(22);
    const nodeImages = froms.map((f) => f.getImage()).filter((image) => image?.startsWith("node:"));
    expect(new Set(nodeImages)).toEqual(new Set(["node:${NODE_VERSION}-bookworm-slim"]));
    expect(froms[0]?.getImage()).toBe("node:${NODE_VERSION}-bookworm-slim");
    expect(froms.at(-1)?.getImage()).toBe("node:${NODE_VERSION}-bookworm-slim");
    // Every base image names a version, once the ARG defaults are filled in (no floating "latest").
    const defaults = argDefaults();
    for (const f of froms) {
      const tag = (f.getImageTag() ?? "").replace(/\$\{(\w+)\}/g, (_, name: string) => defaults.get(name) ?? "");
      expect(tag, `${f.getImage()} has a version tag`).toMatch(/^\d/);
    }
  });

  it("ships production dependencies only", () => {
    const copied = inFinal("COPY").map(copyText);
    expect(copied).toContain("--from=build /app/node_modules ./node_modules");
    const buildRuns = instructions.slice(0, lastFrom).filter((i) => i.getKeyword() === "RUN").map(content);
    expect(buildRuns.some((r) => /npm (prune|ci) [^&]*--omit=dev/.test(r))).toBe(true);
  });

  it("starts the server as `node dist/main.js` under an init that forwards signals", () => {
    const [entrypoint, ...moreEntrypoints] = inFinal("ENTRYPOINT");
    const [cmd, ...moreCmds] = inFinal("CMD");
    expect(moreEntrypoints).toEqual([]);
    expect(moreCmds).toEqual([]);
    const command = [...(entrypoint ? JSON.parse(content(entrypoint)) as string[] : []), ...(cmd ? JSON.parse(content(cmd)) as string[] : [])];
    expect(command.slice(-2)).toEqual(["node", "dist/main.js"]);
    expect(command.slice(0, -2)).toEqual(["/usr/bin/tini", "--"]);
    expect(existsSync(join(root, "src/main.ts")), "dist/main.js is built from src/main.ts").toBe(true);
  });

  it("checks health on /healthz with node (no curl in slim images)", () => {
    const [check, ...more] = inFinal("HEALTHCHECK");
    expect(more).toEqual([]);
    expect(check).toBeDefined();
    const checkText = content(check as Instruction);
    expect(checkText).toMatch(/CMD \["node", "-e", /);
    expect(checkText).toContain("http://127.0.0.1:");
    expect(checkText).toContain("/healthz");
  });

  it("runs as a non-root user with /data as its volume and port 8080 exposed", () => {
    const user = inFinal("USER").at(-1);
    expect(user).toBeDefined();
    const [name = "", group = ""] = content(user as Instruction).split(":");
    expect(["root", "0", ""]).not.toContain(name);
    expect(group).not.toBe("0");
    expect(inFinal("VOLUME").map(content)).toContain('["/data"]');
    expect(inFinal("EXPOSE").map(content)).toContain("8080");
    const env = inFinal("ENV").map(content).join(" ");
    expect(env).toMatch(/\bTFGATE_DATA_DIR=\/data\b/);
  });

  it("installs git, and OpenTofu at a version argument with its checksum verified", () => {
    const finalRuns = inFinal("RUN").map(content);
    expect(finalRuns.some((r) => /apt-get install [^&]*\bgit\b/.test(r))).toBe(true);
    const defaults = argDefaults();
    const toolchain = readFileSync(join(root, "scripts/toolchain.sh"), "utf8");
    const pinned = /^TOFU_VERSION="([^"]+)"/m.exec(toolchain)?.[1];
    expect(defaults.get("TOFU_VERSION"), "the image runs the OpenTofu the tests run").toBe(pinned);
    expect(defaults.has("TOFU_SHA256")).toBe(true);
    const runs = instructions.filter((i) => i.getKeyword() === "RUN").map(content);
    expect(runs.some((r) => r.includes("${TOFU_SHA256}") && r.includes("sha256sum -c"))).toBe(true);
    expect(inFinal("COPY").map(copyText)).toContain("--from=tofu /usr/local/bin/tofu /usr/local/bin/tofu");
  });

  it("copies only paths that exist and that .dockerignore lets into the build context", () => {
    const sources = instructions
      .filter((i) => i.getKeyword() === "COPY" && !copyText(i).includes("--from="))
      .flatMap((i) => args(i).slice(0, -1));
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) {
      expect(existsSync(join(root, source)), `${source} exists`).toBe(true);
      const excluded = filesUnder(source).filter(dockerIgnored);
      expect(excluded, `${source} is not excluded by .dockerignore`).toEqual([]);
    }
    // Local state and secrets never enter the context.
    for (const path of ["node_modules/x", ".git/config", "dist/main.js", ".data/tfgate.sqlite", "key.pem", ".env", "test/x.test.ts"]) {
      expect(dockerIgnored(path), path).toBe(true);
    }
  });
});
