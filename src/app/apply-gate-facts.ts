/**
 * What the apply gate needs to know of the host and the repository at the moment of `/apply`,
 * beyond plans and locks: each target's requirements (server floor, tfgate.yaml from the trusted
 * ref), which reviewers are members of which team, and — only when a target requires them —
 * whether the branch is up to date with its base and how the other checks on the head stand.
 */
import type { ApplyConfig } from "../domain/projects/repo-config.js";
import type { OtherChecks } from "../domain/apply/other-requirements.js";
import { projectRequirements, teamsOf, type ApplyFloor, type ProjectRequirements } from "../domain/apply/project-requirements.js";
import { APPLY_AGGREGATE_CONTEXT } from "./plan-status.js";
import type { RepoReader } from "./ports/repo-reader.js";
import type { RepoRef, Review, Vcs } from "./ports/vcs.js";

export interface GateFacts {
  readonly requirements: ReadonlyMap<string, ProjectRequirements>;
  /** Every team any target's rules name, plus the repository-wide ones: who is an approver at all. */
  readonly teams: readonly string[];
  /** Approving reviewers (lowercase) who are current members, per team. */
  readonly memberships: ReadonlyMap<string, ReadonlySet<string>>;
  readonly approverMembers: ReadonlySet<string>;
  readonly others: OtherChecks;
  /** Whether `login` is a current member of any of `teams`. */
  inTeam(login: string): Promise<boolean>;
}

export async function gatherGateFacts(input: {
  readonly vcs: Pick<Vcs, "teamMember" | "commitChecks">;
  readonly repo: RepoRef;
  readonly reader: Pick<RepoReader, "mergeBase">;
  readonly targets: readonly string[];
  readonly serverTeams: readonly string[];
  readonly floor: ApplyFloor;
  readonly apply: ApplyConfig;
  readonly reviews: readonly Review[];
  readonly headSha: string;
  /** The base branch's head now (the trusted ref for a protected base). */
  readonly baseSha: string;
}): Promise<GateFacts> {
  const { vcs, repo } = input;
  const requirements = new Map(input.targets.map((p) => [p, projectRequirements(p, input.serverTeams, input.apply, input.floor)]));
  const teams = [...new Set([...teamsOf(requirements.values()), ...input.serverTeams, ...input.apply.approver_teams, ...input.floor.teams])].sort();
  const memberships = new Map<string, Set<string>>(teams.map((t) => [t, new Set<string>()]));
  const approverMembers = new Set<string>();
  for (const reviewer of new Set(input.reviews.filter((r) => r.state === "APPROVED").map((r) => r.reviewer))) {
    for (const team of teams) {
      if (await vcs.teamMember(repo, team, reviewer)) {
        memberships.get(team)?.add(reviewer.toLowerCase());
        approverMembers.add(reviewer);
      }
    }
  }
  const required = new Set([...requirements.values()].flatMap((r) => r.require));
  const others: OtherChecks = {
    upToDate: required.has("up_to_date_with_base") ? { value: await containsBase(input.reader, input.baseSha, input.headSha), baseSha: input.baseSha } : null,
    checks: required.has("checks_passing") || [...requirements.values()].some((r) => r.requiredChecks.length > 0) ? await otherStatuses(vcs, repo, input.headSha) : null,
  };
  return {
    requirements,
    teams,
    memberships,
    approverMembers,
    others,
    async inTeam(login) {
      for (const team of teams) if (await vcs.teamMember(repo, team, login)) return true;
      return false;
    },
  };
}

async function containsBase(reader: Pick<RepoReader, "mergeBase">, baseSha: string, headSha: string): Promise<boolean | null> {
  try {
    return (await reader.mergeBase(baseSha, headSha)) === baseSha;
  } catch {
    return null;
  }
}

/** The head's statuses except tfgate's own (its plan statuses are judged by the gate itself). */
async function otherStatuses(vcs: Pick<Vcs, "commitChecks">, repo: RepoRef, sha: string): Promise<OtherChecks["checks"]> {
  try {
    const prefix = APPLY_AGGREGATE_CONTEXT.split("/")[0] as string;
    return (await vcs.commitChecks(repo, sha)).filter((s) => !s.name.startsWith(`${prefix}/`));
  } catch {
    return null;
  }
}
