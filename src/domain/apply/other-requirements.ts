/**
 * `up_to_date_with_base` and `checks_passing`: what some projects' apply waits for besides
 * approvals (tfgate.yaml `require`, the server's floor). `mergeable` is always required and
 * checked with the PR's state. Pure: the caller asks git and the host only when a target needs it.
 */
import type { ApplyRequirement } from "../projects/repo-config.js";

export interface OtherCheckState {
  /** A status context or check name on the head commit (tfgate's own are left out by the caller). */
  readonly name: string;
  readonly state: "success" | "pending" | "failure";
}

export interface OtherChecks {
  /** Whether the head contains the base branch's head; null when it could not be told. */
  readonly upToDate: { readonly value: boolean | null; readonly baseSha: string } | null;
  /** Every other status and check on the head; null when they could not be read. */
  readonly checks: readonly OtherCheckState[] | null;
}

interface Needs {
  readonly project: string;
  readonly require: readonly ApplyRequirement[];
  readonly requiredChecks?: readonly string[];
}

export function otherRequirements(targets: readonly Needs[], base: { readonly ref: string }, others: OtherChecks | undefined): Array<{ code: "up-to-date" | "checks"; message: string }> {
  const unmet: Array<{ code: "up-to-date" | "checks"; message: string }> = [];
  const needing = (r: ApplyRequirement) => targets.filter((t) => t.require.includes(r)).map((t) => `\`${t.project}\``);
  const upToDateFor = needing("up_to_date_with_base");
  if (upToDateFor.length > 0) {
    const state = others?.upToDate;
    const who = `${upToDateFor.join(", ")} ${upToDateFor.length === 1 ? "requires" : "require"} the branch to be up to date with \`${base.ref}\``;
    if (!state || state.value === null) unmet.push({ code: "up-to-date", message: `${who}, and tfgate could not tell whether it is: try again in a moment` });
    else if (!state.value) {
      unmet.push({ code: "up-to-date", message: `${who}: it does not contain \`${base.ref}\`'s head ${state.baseSha.slice(0, 7)}; merge or rebase it, then \`/plan\` and ask for approval again` });
    }
  }
  const checksFor = needing("checks_passing");
  if (checksFor.length > 0) {
    const checks = others?.checks;
    const who = `${checksFor.join(", ")} ${checksFor.length === 1 ? "requires" : "require"} every other check on the head to pass`;
    if (!checks) unmet.push({ code: "checks", message: `${who}, and tfgate could not read them: try again in a moment` });
    else {
      const notPassed = checks.filter((c) => c.state !== "success").map((c) => `${c.name} (${c.state})`);
      if (notPassed.length > 0) unmet.push({ code: "checks", message: `${who}: ${notPassed.join(", ")}; wait for them or fix them` });
    }
  }
  // Named checks: each must be there and have succeeded (checks_passing alone passes with none).
  const named = new Map<string, string[]>();
  for (const t of targets) for (const name of t.requiredChecks ?? []) named.set(name, [...(named.get(name) ?? []), `\`${t.project}\``]);
  for (const [name, projects] of [...named].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const who = `${projects.join(", ")} ${projects.length === 1 ? "requires" : "require"} the check \`${name}\` to pass on the head`;
    const checks = others?.checks;
    const found = checks?.filter((c) => c.name === name) ?? [];
    if (!checks) unmet.push({ code: "checks", message: `${who}, and tfgate could not read the checks: try again in a moment` });
    else if (found.length === 0) unmet.push({ code: "checks", message: `${who}: it has not reported; wait for it (or check that it runs on this branch)` });
    else if (found.some((c) => c.state !== "success")) unmet.push({ code: "checks", message: `${who}: it is ${found.find((c) => c.state !== "success")?.state}; wait for it or fix it` });
  }
  return unmet;
}
