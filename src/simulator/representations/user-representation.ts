import type { RepoRole } from "../fake-github-model.js";
import { encodeLogin, nodeId } from "./representation-context.js";
import type { RepresentationContext } from "./representation-context.js";

/** `simple-user`: how GitHub embeds an account in every other object. */
export function simpleUser(ctx: RepresentationContext, login: string) {
  // Registers a login seen for the first time, so its id stays the same in every later answer.
  const account = ctx.state.addUser(login);
  const api = `${ctx.apiUrl}/users/${encodeLogin(account.login)}`;
  const isBot = account.type === "Bot";
  return {
    login: account.login,
    id: account.id,
    node_id: nodeId(isBot ? "Bot" : account.type === "Organization" ? "Organization" : "User", account.id),
    avatar_url: `https://avatars.githubusercontent.com/u/${account.id}?v=4`,
    gravatar_id: "",
    url: api,
    html_url: isBot ? `${ctx.htmlUrl}/apps/${encodeLogin(account.login.replace(/\[bot\]$/, ""))}` : `${ctx.htmlUrl}/${encodeLogin(account.login)}`,
    ...accountLinks(api),
    type: account.type,
    site_admin: false,
    user_view_type: "public",
  };
}

/** The REST `permission` field folds GitHub's five roles into admin/write/read/none. */
export function legacyPermission(role: RepoRole): "admin" | "write" | "read" | "none" {
  if (role === "admin") return "admin";
  if (role === "maintain" || role === "write") return "write";
  if (role === "triage" || role === "read") return "read";
  return "none";
}

/** `repository-collaborator-permission`. */
export function collaboratorPermission(ctx: RepresentationContext, login: string, role: RepoRole) {
  const rank = ["none", "read", "triage", "write", "maintain", "admin"].indexOf(role);
  return {
    permission: legacyPermission(role),
    role_name: role,
    user: {
      ...simpleUser(ctx, login),
      permissions: { pull: rank >= 1, triage: rank >= 2, push: rank >= 3, maintain: rank >= 4, admin: rank >= 5 },
      role_name: role,
    },
  };
}

/** The hypermedia links every GitHub account object carries, under its API URL. */
export function accountLinks(api: string) {
  return {
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
  };
}
