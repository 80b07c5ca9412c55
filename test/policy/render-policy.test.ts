import { describe, expect, it } from "vitest";
import { renderPolicyTable } from "../../src/domain/policy/render-policy.js";

describe("renderPolicyTable", () => {
  it("renders findings, passes, warnings, errors and fix hints", () => {
    const md = renderPolicyTable([
      {
        project: "kirare",
        result: {
          status: "failed",
          violations: [
            {
              address: "module.network.hcloud_network.this",
              rule: "project-tag",
              message: 'no Project tag in labels: add Project = "kirare" to labels',
              file: "modules/network/main.tf",
              line: 31,
            },
          ],
          warnings: [{ address: 'hcloud_server.x["a|b"]', rule: "project-tag", message: "Project tag value is unknown until apply; use a value known at plan time" }],
        },
      },
      { project: "ortensia", result: { status: "passed", warnings: [] } },
      { project: "stella-maris", result: { status: "error", errors: [{ file: "policies/a.yaml", key: "rules[0].colour", line: 4, message: "unknown key" }] } },
    ]);
    expect(md).toBe(
      [
        "| Project | Policy | Resource | Rule | Problem and fix |",
        "|---|---|---|---|---|",
        '| `kirare` | ❌ failed | `module.network.hcloud_network.this`<br>`modules/network/main.tf:31` | `project-tag` | no Project tag in labels: add Project = "kirare" to labels |',
        '| `kirare` | ⚠️ warning | `hcloud_server.x["a\\|b"]` | `project-tag` | Project tag value is unknown until apply; use a value known at plan time |',
        "| `ortensia` | ✅ passed |  |  |  |",
        "| `stella-maris` | ⛔ error | `policies/a.yaml:4` | `rules[0].colour` | unknown key |",
        "",
        "- **Project tag:** every taggable resource needs the tag `Project` naming its project (the project's directory name, or its `project_tag` in `tfgate.yaml`). Set it in the resource's `labels`/`tags`, through a shared labels module, or for AWS in the provider's `default_tags`.",
        "- **Unknown until apply:** tfgate can only check values the plan knows. Build tags from variables and locals, not from attributes of resources created in the same plan.",
        "- **Policy error:** the policy could not be evaluated, so the plan cannot be applied. Policy files and `tfgate.yaml` are read from the base branch: fix them there.",
        "",
      ].join("\n"),
    );
  });

  it("escapes text from the plan so it cannot inject markdown, HTML or mentions, and caps the rows", () => {
    const evil = 'Project tag is "<img src=x> @octocat | **x**", expected "kirare"';
    const md = renderPolicyTable(
      [
        {
          project: "kirare",
          result: {
            status: "failed",
            violations: [
              { address: "a.b", rule: "r", message: evil },
              { address: "", rule: "limits", message: "too many" },
              { address: "c.d", rule: "r", message: "x" },
            ],
            warnings: [],
          },
        },
      ],
      { maxRows: 2 },
    );
    const row = md.split("\n")[2] as string;
    expect(row).toBe('| `kirare` | ❌ failed | `a.b` | `r` | Project tag is "\\<img src=x\\> @\u200boctocat \\| \\*\\*x\\*\\*", expected "kirare" |');
    expect(md.split("\n")[3]).toBe("| `kirare` | ❌ failed | whole plan | `limits` | too many |");
    expect(md).toContain("…and 1 more finding (see `tfgate plan --json` for all of them).");
    expect(md).not.toContain("Project tag:**");
  });
});
