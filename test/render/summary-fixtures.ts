import type { PlanCounts } from "../../src/domain/plan/plan-outcome.js";
import type { SummaryInput, SummaryProject } from "../../src/domain/render/summary-input.js";

export const SHA = "3f2a9c1d4b5e6f708192a3b4c5d6e7f8091a2b3c";
export const BASE: Omit<SummaryInput, "projects"> = { repo: "acme/infra", pr: 42, headSha: SHA, baseRef: "main" };

export type Action = "create" | "update" | "delete" | "replace";

/** `tofu show -no-color` text for hcloud resources, shaped like the real output. */
export function planText(resources: readonly { readonly address: string; readonly action: Action }[]): string {
  const out = [
    "",
    "OpenTofu used the selected providers to generate the following execution",
    "plan. Resource actions are indicated with the following symbols:",
    "  + create",
    "  ~ update in-place",
    "  - destroy",
    "-/+ destroy and then create replacement",
    "",
    "OpenTofu will perform the following actions:",
    "",
  ];
  for (const { address, action } of resources) {
    const [type, name] = address.split(".") as [string, string];
    if (action === "create") {
      out.push(
        `  # ${address} will be created`,
        `  + resource "${type}" "${name}" {`,
        "      + id          = (known after apply)",
        '      + image       = "debian-12"',
        "      + labels      = {",
        '          + "Project" = "kirare"',
        "        }",
        `      + name        = "${name}"`,
        '      + server_type = "cx22"',
        "    }",
        "",
      );
    } else if (action === "update") {
      out.push(
        `  # ${address} will be updated in-place`,
        `  ~ resource "${type}" "${name}" {`,
        '        id          = "4711"',
        "      ~ labels      = {",
        '          ~ "Project" = "ortensia" -> "kirare"',
        "        }",
        `        name        = "${name}"`,
        "        # (4 unchanged attributes hidden)",
        "    }",
        "",
      );
    } else if (action === "delete") {
      out.push(
        `  # ${address} will be destroyed`,
        "  # (because resource does not use count)",
        `  - resource "${type}" "${name}" {`,
        '      - id       = "815" -> null',
        '      - ip_range = "10.0.0.0/16" -> null',
        `      - name     = "${name}" -> null`,
        "    }",
        "",
      );
    } else {
      out.push(
        `  # ${address} must be replaced`,
        `-/+ resource "${type}" "${name}" {`,
        '      ~ id          = "1234" -> (known after apply)',
        '      ~ image       = "debian-11" -> "debian-12" # forces replacement',
        `        name        = "${name}"`,
        "        # (3 unchanged attributes hidden)",
        "    }",
        "",
      );
    }
  }
  const n = (a: Action) => resources.filter((r) => r.action === a).length;
  out.push(`Plan: ${n("create") + n("replace")} to add, ${n("update")} to change, ${n("delete") + n("replace")} to destroy.`, "");
  return out.join("\n");
}

export function countsOf(resources: readonly { readonly action: Action }[]): PlanCounts {
  const n = (a: Action) => resources.filter((r) => r.action === a).length;
  return { add: n("create"), change: n("update"), destroy: n("delete"), replace: n("replace") };
}

export function changesProject(name: string, resources: readonly { address: string; action: Action }[], extra: Partial<SummaryProject> = {}): SummaryProject {
  return {
    name,
    dir: `projects/${name}`,
    state: { status: "changes", counts: countsOf(resources), diff: planText(resources) },
    policy: { status: "passed", warnings: [] },
    lock: "held",
    ...extra,
  };
}
