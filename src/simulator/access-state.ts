import { randomBytes } from "node:crypto";
import type { AccountType, FakeAccount, FakeMembership, FakeToken, MembershipState, TeamRole } from "./fake-github-model.js";

export interface AccessDeps {
  readonly now: () => Date;
  readonly tokenTtlMs: number;
  readonly addUser: (login: string, type?: AccountType) => FakeAccount;
}

/** Who may do what beyond repository roles: team memberships and installation tokens. */
export function createAccessState(deps: AccessDeps) {
  const teams = new Map<string, Map<string, FakeMembership>>();
  const tokens = new Map<string, FakeToken>();
  const teamKey = (org: string, team: string) => `${org}/${team}`.toLowerCase();

  return {
    addTeamMember(org: string, team: string, login: string, membership: { role?: TeamRole; state?: MembershipState } = {}): void {
      deps.addUser(login);
      const members = teams.get(teamKey(org, team)) ?? new Map<string, FakeMembership>();
      members.set(login.toLowerCase(), { role: membership.role ?? "member", state: membership.state ?? "active" });
      teams.set(teamKey(org, team), members);
    },
    removeTeamMember(org: string, team: string, login: string): void {
      teams.get(teamKey(org, team))?.delete(login.toLowerCase());
    },
    teamMembership: (org: string, team: string, login: string): FakeMembership | undefined => teams.get(teamKey(org, team))?.get(login.toLowerCase()),
    /** Org membership as far as the fake knows it: an active member of any of the org's teams. */
    isOrgMember: (org: string, login: string): boolean =>
      [...teams].some(([key, members]) => key.startsWith(`${org.toLowerCase()}/`) && members.get(login.toLowerCase())?.state === "active"),

    issueToken(installationId: number): FakeToken {
      const token: FakeToken = { token: `ghs_${randomBytes(18).toString("hex")}`, installationId, expiresAt: new Date(deps.now().getTime() + deps.tokenTtlMs) };
      tokens.set(token.token, token);
      return token;
    },
    token: (value: string): FakeToken | undefined => tokens.get(value),
    /** Makes every issued token expire now, to test renewal. */
    expireTokens(): void {
      for (const token of tokens.values()) token.expiresAt = new Date(deps.now().getTime() - 1);
    },
  };
}
