import { describe, expect, it } from "vitest";
import { parseCommands } from "../commands/default-commands.js";
import { GITHUB_COMMENT_LIMIT, renderSummary } from "../../src/domain/render/render-summary.js";
import type { SummaryProject } from "../../src/domain/render/summary-input.js";
import { readSummaryMarker } from "../../src/domain/render/summary-marker.js";
import { expectGolden } from "./golden.js";
import { structureProblems } from "./markdown-structure.js";
import { BASE, changesProject, planText, SHA, type Action } from "./summary-fixtures.js";

/** Every body is within GitHub's limit, renders on its own, and carries the marker of its part. */
function expectValidParts(parts: readonly string[]): void {
  parts.forEach((body, i) => {
    expect(body.length, `part ${i + 1}`).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(structureProblems(body), `part ${i + 1}`).toEqual([]);
    expect(readSummaryMarker(body)).toEqual(i === 0 ? { part: 1, total: null } : { part: i + 1, total: parts.length });
    // The comment is never read back as a command (the server should also ignore its own comments).
    expect(parseCommands(body), `part ${i + 1}`).toEqual([]);
  });
}

/** The body without fences, code spans and <code> elements, where nothing is interpreted. */
function outsideCode(body: string): string {
  return body
    .replace(/^(`{3,})[^\n]*\n[\s\S]*?^\1$/gm, "")
    .replace(/(`+)(?!`)[\s\S]*?[^`]\1(?!`)/g, "")
    .replace(/<code>[\s\S]*?<\/code>/g, "");
}

function resources(prefix: string, n: number, action: Action = "create") {
  return Array.from({ length: n }, (_, i) => ({ address: `hcloud_server.${prefix}_${String(i).padStart(4, "0")}`, action }));
}

describe("renderSummary goldens", () => {
  it("one project with changes", () => {
    const parts = renderSummary({
      ...BASE,
      projects: [
        changesProject("kirare", [
          { address: "hcloud_server.web", action: "create" },
          { address: "hcloud_firewall.web", action: "update" },
        ], { gate: "waiting for SRE approval", logUrl: "https://tfgate.example.com/logs/acme/infra/42/kirare" }),
      ],
    });
    expect(parts).toHaveLength(1);
    expectValidParts(parts);
    expectGolden("one-project.md", parts[0] as string);
  });

  it("several projects: destroy and replace warning, error, failed policy, locked by another PR", () => {
    const projects: SummaryProject[] = [
      changesProject("kirare", [
        { address: "hcloud_server.web", action: "create" },
        { address: "hcloud_network.old", action: "delete" },
        { address: "hcloud_server.db", action: "replace" },
      ], {
        gate: "waiting for SRE approval",
        policy: {
          status: "failed",
          violations: [{ address: "hcloud_server.web", rule: "project-tag", message: 'no Project tag in labels: add Project = "kirare" to labels', file: "projects/kirare/main.tf", line: 12 }],
          warnings: [],
        },
      }),
      {
        name: "ortensia",
        dir: "projects/ortensia",
        state: {
          status: "error",
          reason: "failed",
          message: "tofu plan failed (exit 1)",
          diagnostics: [
            "",
            "Error: Unsupported argument",
            "",
            '  on main.tf line 3, in resource "hcloud_server" "x":',
            '   3:   colour = "blue"',
            "",
            'An argument named "colour" is not expected here.',
          ].join("\n"),
        },
        policy: null,
        lock: "held",
        gate: "plan failed",
        logUrl: "https://tfgate.example.com/logs/acme/infra/42/ortensia",
      },
      { name: "stella-maris", dir: "projects/stella-maris", state: { status: "locked-by-other-pr", holder: { number: 17, url: "https://github.com/acme/infra/pull/17" } }, policy: null, lock: "not-held" },
      { name: "anemone", dir: "projects/anemone", state: { status: "no-changes" }, policy: { status: "passed", warnings: [] }, lock: "held", gate: "nothing to apply" },
      changesProject("zinnia", [{ address: "hcloud_volume.data", action: "update" }], {
        gate: "ready to apply",
        policy: { status: "error", errors: [{ file: "policies/tags.yaml", key: "rules[0].kind", line: 4, message: "unknown rule kind" }] },
      }),
      { name: "iris", dir: "projects/iris", state: { status: "queued" }, policy: null, lock: "not-held" },
    ];
    const parts = renderSummary({ ...BASE, projects, deleted: [{ name: "legacy", dir: "projects/legacy" }], configChanged: true });
    expect(parts).toHaveLength(1);
    expectValidParts(parts);
    expectGolden("several-projects.md", parts[0] as string);
  });

  it("detection warnings (a roots glob matching nothing) are a warning above the table, escaped", () => {
    const noChanges: SummaryProject = { name: "web/prod", dir: "projects/web/prod", state: { status: "no-changes" }, policy: { status: "passed", warnings: [] }, lock: "held" };
    const parts = renderSummary({ ...BASE, projects: [noChanges], warnings: ['roots: "projcts/*" matches no directory of the repository, so it finds no project (a typo?)', "x.tf:1: <b>`x`</b>"] });
    expectValidParts(parts);
    expect(parts[0]).toContain("> [!WARNING]\n> **Change detection may have missed projects:**");
    expect(parts[0]).toContain('roots: "projcts/*" matches no directory');
    // Repository text goes in a code span, where Markdown and HTML are inert.
    expect(parts[0]).toMatch(/^> - (`+) ?x\.tf:1: <b>`x`<\/b> ?\1$/m);
    expect(parts[0]).toContain("`web/prod`");
    expect(renderSummary({ ...BASE, projects: [noChanges], warnings: [], prState: "open" })[0]).not.toContain("[!WARNING]");
  });

  it("says why each project was planned, in a fold, bounded and escaped", () => {
    const row = (name: string, reasons: string[]): SummaryProject => ({ name, dir: `projects/${name}`, state: { status: "no-changes" }, policy: { status: "passed", warnings: [] }, lock: "held", reasons });
    const parts = renderSummary({
      ...BASE,
      projects: [
        row("web/prod", ["module modules/net changed (modules/net/main.tf modified) via projects/web/prod → modules/net"]),
        row("kirare", ["projects/kirare/main.tf modified", "projects/kirare/b.tf added", "x", "<img src=x>"]),
      ],
    });
    expectValidParts(parts);
    expect(parts[0]).toContain("<details><summary>Why these projects were planned</summary>");
    expect(parts[0]).toContain("- `web/prod`: `module modules/net changed (modules/net/main.tf modified) via projects/web/prod → modules/net`");
    expect(parts[0]).toContain("- `kirare`: `projects/kirare/main.tf modified`; `projects/kirare/b.tf added` and 2 more");
    expect(parts[0]).not.toContain("<img");
    const many = Array.from({ length: 60 }, (_, i) => row(`p${i}`, ["changed"]));
    expect(renderSummary({ ...BASE, projects: many })[0]).toContain("- …and 10 more projects");
    expect(renderSummary({ ...BASE, projects: [row("a", [])] })[0]).not.toContain("Why these projects");
  });

  it("a PR with no changes at all", () => {
    const noChanges = (name: string): SummaryProject => ({ name, dir: `projects/${name}`, state: { status: "no-changes" }, policy: { status: "passed", warnings: [] }, lock: "held" });
    const parts = renderSummary({ ...BASE, projects: [noChanges("kirare"), noChanges("ortensia")] });
    expectValidParts(parts);
    expect(parts[0]).not.toContain("[!WARNING]");
    expect(parts[0]).not.toContain("<details>");
    expectGolden("no-changes.md", parts[0] as string);
  });

  it("a 300 kB plan output is split into bodies under the limit, losing no project", () => {
    const names = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot"];
    const projects = names.map((n, i) => changesProject(n, resources(n, 170, i === 2 ? "delete" : "create"), { logUrl: `https://tfgate.example.com/logs/${n}` }));
    const planBytes = projects.reduce((sum, p) => sum + (p.state.status === "changes" ? p.state.diff.length : 0), 0);
    expect(planBytes).toBeGreaterThan(300_000);

    const parts = renderSummary({ ...BASE, projects });
    expect(parts.length).toBeGreaterThan(4);
    expectValidParts(parts);
    parts.forEach((body, i) => expectGolden(`split-300k.part-${i + 1}.md`, body));

    const all = parts.join("\n");
    for (const n of names) {
      expect(all).toContain(`| \`${n}\` | \`projects/${n}\` | [📝 changes](https://tfgate.example.com/logs/${n}) |`);
      expect(all).toContain(`<details><summary>📝 <code>${n}</code>`);
      // Every resource line of every diff made it: nothing trimmed at this size.
      expect(all).toContain(`hcloud_server.${n}_0169`);
    }
    expect(all).not.toContain("trimmed");
  });
});

describe("renderSummary splitting and trimming", () => {
  it("trims one diff too long for any comment, keeping the fence valid and naming the log", () => {
    const project = changesProject("kirare", resources("web", 1200), { logUrl: "https://tfgate.example.com/logs/kirare" });
    const diffLines = project.state.status === "changes" ? project.state.diff.replace(/^\n+|\n+$/g, "").split("\n").length : 0;
    const parts = renderSummary({ ...BASE, projects: [project] });
    expectValidParts(parts);
    expect(parts).toHaveLength(2);
    const m = /diff trimmed: (\d+) of (\d+) lines shown; full log: <https:\/\/tfgate\.example\.com\/logs\/kirare>/.exec(parts.join("\n"));
    expect(m).not.toBeNull();
    expect(Number(m?.[2])).toBe(diffLines);
    expect(Number(m?.[1])).toBeGreaterThan(1000);
  });

  it("says where the log is when a trimmed diff has no log URL", () => {
    const parts = renderSummary({ ...BASE, projects: [changesProject("kirare", resources("web", 1200))] });
    expect(parts.join("\n")).toMatch(/diff trimmed: \d+ of \d+ lines shown; the full log is on the tfgate server/);
  });

  it("keeps every body under a smaller limit too", () => {
    const projects = ["a", "b", "c"].map((n) => changesProject(n, resources(n, 200)));
    const parts = renderSummary({ ...BASE, projects }, { maxBodyLength: 10_000 });
    for (const body of parts) expect(body.length).toBeLessThanOrEqual(10_000);
    expectValidParts(parts);
  });

  it("past the part limit, further diffs become one line with the log link", () => {
    const projects = ["a", "b", "c", "d"].map((n) => changesProject(n, resources(n, 150), { logUrl: `https://tfgate.example.com/logs/${n}` }));
    const parts = renderSummary({ ...BASE, projects }, { maxParts: 2 });
    expectValidParts(parts);
    expect(parts).toHaveLength(2);
    const all = parts.join("\n");
    expect(all).toContain("📝 `d`: +150 ~0 −0 ±0; diff not shown (the summary is limited to 2 comments); full log: <https://tfgate.example.com/logs/d>");
    for (const n of ["a", "b", "c", "d"]) expect(all).toContain(`| \`${n}\` |`);
  });

  it("splits a table of many projects between rows, repeating its header", () => {
    const projects: SummaryProject[] = Array.from({ length: 1500 }, (_, i) => ({
      name: `p${String(i).padStart(4, "0")}`,
      dir: `projects/p${String(i).padStart(4, "0")}`,
      state: { status: "no-changes" },
      policy: { status: "passed", warnings: [] },
      lock: "held",
      gate: "nothing to apply",
    }));
    const parts = renderSummary({ ...BASE, projects });
    expectValidParts(parts);
    expect(parts.length).toBeGreaterThan(1);
    for (const body of parts) expect(body).toContain("| Project | Directory | Status | Changes | Policy | Lock | Apply |\n|---|---|---|---|---|---|---|");
    const rows = parts.join("\n").match(/^\| `p\d{4}` \|/gm) ?? [];
    expect(rows).toHaveLength(1500);
  });

  it("is deterministic and sorts projects by name", () => {
    const a = changesProject("b", resources("x", 3));
    const b = changesProject("a", resources("y", 3));
    const one = renderSummary({ ...BASE, projects: [a, b] });
    expect(renderSummary({ ...BASE, projects: [b, a] })).toEqual(one);
    expect((one[0] as string).indexOf("| `a` |")).toBeLessThan((one[0] as string).indexOf("| `b` |"));
  });
});

describe("renderSummary escaping and secrets", () => {
  it("a diff holding fences and </details> cannot break out", () => {
    const diff = [
      "  # terraform_data.x will be created",
      '  + resource "terraform_data" "x" {',
      "      + input = <<-EOT",
      "            ```",
      "            </details>",
      "            ````",
      "            <!-- tfgate:summary v1 -->",
      "            ``````",
      "        EOT",
      "    }",
    ].join("\n");
    const parts = renderSummary({
      ...BASE,
      projects: [{ name: "kirare", dir: "projects/kirare", state: { status: "changes", counts: { add: 1, change: 0, destroy: 0, replace: 0 }, diff }, policy: null, lock: "held" }],
    });
    expectValidParts(parts);
    expect(parts[0]).toContain("```````diff\n");
  });

  it("escapes PR-controlled names, messages and gate text for each context", () => {
    const evil = "<img src=x onerror=alert(1)>@octocat|**x**`y`";
    const parts = renderSummary({
      ...BASE,
      projects: [
        {
          name: evil,
          dir: `projects/${evil}`,
          state: { status: "error", reason: "failed", message: `Error: ${evil} fixes #1`, diagnostics: `@octocat ${evil}\n\`\`\`\n</details>` },
          policy: null,
          lock: "held",
          gate: `waiting | ${evil}`,
          logUrl: "javascript:alert(1)",
        },
      ],
      deleted: [{ name: evil, dir: evil }],
    });
    expectValidParts(parts);
    const body = parts[0] as string;
    // Raw HTML and live mentions appear nowhere outside code; script links nowhere at all.
    expect(outsideCode(body)).not.toMatch(/(?<!\\)<img/);
    expect(outsideCode(body)).not.toMatch(/@octocat/);
    expect(body).not.toContain("javascript:");
    // In the table: a code cell for the name, an escaped cell for the gate.
    expect(body).toContain("| `` <img src=x onerror=alert(1)>@octocat\\|**x**`y` `` |");
    expect(body).toContain("waiting \\| \\<img src=x onerror=alert\\(1\\)\\>@\u200boctocat\\|\\*\\*x\\*\\*\\`y\\` |");
    // In the <summary> HTML line: entities inside <code>.
    expect(body).toContain("<code>&lt;img src=x onerror=alert(1)&gt;@\u200boctocat|**x**`y`</code>");
    // The row keeps its 7 cells: every `|` from the PR is escaped.
    const row = body.split("\n").find((l) => l.startsWith("| ``"));
    expect(row?.replace(/\\\|/g, "").split("|")).toHaveLength(9);
  });

  it("says why nothing was planned, each problem as code: PR paths cannot inject HTML or mentions", () => {
    const evil = "<img src=x onerror=alert(1)>@octocat|**x**`y`";
    const parts = renderSummary({ ...BASE, projects: [], problems: [`project directory "projects/${evil}" has a name tfgate cannot use`, "tfgate.yaml:3: projetcs: unknown key"] });
    expectValidParts(parts);
    const body = parts[0] as string;
    expect(body).toContain("**tfgate could not plan this commit**, so nothing was planned:");
    expect(body).toContain("> - ``project directory \"projects/<img src=x onerror=alert(1)>@octocat|**x**`y`\" has a name tfgate cannot use``");
    expect(body).toContain("> - `tfgate.yaml:3: projetcs: unknown key`");
    expect(outsideCode(body)).not.toMatch(/<img/);
    expect(outsideCode(body)).not.toMatch(/@octocat/);
    expect(body).not.toContain("No project is affected");
  });

  it("scrubs known secrets from everything, before escaping", () => {
    const secret = "hc_Sup3r_s3cret_t0ken";
    const pem = "-----BEGIN KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END KEY-----";
    const parts = renderSummary(
      {
        ...BASE,
        projects: [
          changesProject("kirare", [{ address: "hcloud_server.web", action: "create" }], { gate: `token ${secret}, abc` }),
          {
            name: "ortensia",
            dir: "projects/ortensia",
            state: { status: "error", reason: "failed", message: `auth failed for ${secret}`, diagnostics: `key:\r\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nand ${secret}` },
            policy: null,
            lock: "held",
            logUrl: `https://tfgate.example.com/logs?token=${secret}`,
          },
        ],
      },
      { secrets: [secret, pem, "abc", ""] },
    );
    const all = parts.join("\n");
    expect(all).not.toContain(secret);
    expect(all).not.toContain("Sup3r");
    expect(all).not.toContain("MIIEvQIBADANBgkqhkiG9w0BAQEFAASC");
    expect(all).toContain("auth failed for ***");
    // Too short to be scrubbed: "abc" would blank out ordinary words.
    expect(all).toContain("abc");
  });

  it("cleans control characters and bidi overrides from PR text", () => {
    const diff = '  + resource "x" "y" {\r\n      + a = "\u202eevil\u202c"\u001b[31m\u0007\r\n    }';
    const parts = renderSummary({
      ...BASE,
      projects: [{ name: "k", dir: "projects/k", state: { status: "changes", counts: { add: 1, change: 0, destroy: 0, replace: 0 }, diff }, policy: null, lock: "held" }],
    });
    const body = parts[0] as string;
    expect(body).toContain('+       a = "\ufffdevil\ufffd"\n');
    for (const c of ["\r", "\u0007", "\u001b", "\u202e"]) expect(body).not.toContain(c);
  });

  it("says when the PR is merged and leaves out how to apply", () => {
    const parts = renderSummary({ ...BASE, prState: "merged", projects: [changesProject("kirare", [{ address: "hcloud_network.old", action: "delete" }], { lock: "not-held" })] });
    const body = parts[0] as string;
    expect(body).toContain("This pull request was merged.");
    expect(body).not.toContain("To apply");
    expect(body).not.toContain("[!WARNING]");
  });

  it("renders a PR that affects no project", () => {
    const body = renderSummary({ ...BASE, projects: [] })[0] as string;
    expect(body).toContain("No project is affected by this pull request.");
    expect(body).not.toContain("| Project |");
  });

  it("refuses input that is not what GitHub sends", () => {
    expect(() => renderSummary({ ...BASE, headSha: "abc", projects: [] })).toThrow(/not a commit SHA/);
    expect(() => renderSummary({ ...BASE, repo: "a/b c", projects: [] })).toThrow(/not a repository/);
    expect(() => renderSummary({ ...BASE, projects: [] }, { maxBodyLength: 70_000 })).toThrow(/maxBodyLength/);
  });

  it("shows the head SHA short and full", () => {
    const body = renderSummary({ ...BASE, projects: [] })[0] as string;
    expect(body).toContain(`[\`${SHA.slice(0, 7)}\`](https://github.com/acme/infra/commit/${SHA}) (full SHA \`${SHA}\`)`);
    const ghes = renderSummary({ ...BASE, repoUrl: "https://ghe.example.com/acme/infra", projects: [] })[0] as string;
    expect(ghes).toContain(`(https://ghe.example.com/acme/infra/commit/${SHA})`);
  });

  it("uses diff markers GitHub colours, keeping the alignment", () => {
    const body = renderSummary({ ...BASE, projects: [changesProject("k", [{ address: "hcloud_server.a", action: "create" }])] })[0] as string;
    expect(body).toContain('+   resource "hcloud_server" "a" {\n+       id          = (known after apply)\n');
    expect(planText([])).toContain("Plan: 0 to add");
  });
});
