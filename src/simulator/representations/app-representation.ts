import type { FakeInstallation, FakeManifestApp, FakeToken } from "../fake-github-model.js";
import { iso, nodeId } from "./representation-context.js";
import type { RepresentationContext } from "./representation-context.js";
import { simpleUser } from "./user-representation.js";

/** What tfgate asks for when installed (members:read for approver-team checks). */
export const APP_PERMISSIONS = {
  checks: "write",
  contents: "read",
  issues: "write",
  metadata: "read",
  members: "read",
  pull_requests: "write",
  statuses: "write",
} as const;
export const APP_EVENTS = ["check_run", "check_suite", "issue_comment", "pull_request", "pull_request_review"];
const APP_CREATED = new Date("2024-01-01T00:00:00Z");

/** `integration`: the app itself (GET /app, and `performed_via_github_app`). */
export function app(ctx: RepresentationContext) {
  return {
    id: ctx.appId,
    slug: ctx.state.appSlug,
    node_id: nodeId("Integration", ctx.appId),
    client_id: `Iv1.${ctx.appId.toString(16).padStart(16, "0")}`,
    owner: simpleUser(ctx, ctx.appOwner),
    name: ctx.state.appSlug,
    description: "Plans and applies OpenTofu for pull requests",
    external_url: `${ctx.htmlUrl}/${ctx.appOwner}`,
    html_url: `${ctx.htmlUrl}/apps/${ctx.state.appSlug}`,
    created_at: iso(APP_CREATED),
    updated_at: iso(APP_CREATED),
    permissions: { ...APP_PERMISSIONS },
    events: [...APP_EVENTS],
    installations_count: ctx.state.installations().length,
  };
}

/** `installation`. */
export function installation(ctx: RepresentationContext, i: FakeInstallation) {
  const account = simpleUser(ctx, i.account);
  return {
    id: i.id,
    account,
    repository_selection: "all",
    access_tokens_url: `${ctx.apiUrl}/app/installations/${i.id}/access_tokens`,
    repositories_url: `${ctx.apiUrl}/installation/repositories`,
    html_url: `${ctx.htmlUrl}/organizations/${i.account}/settings/installations/${i.id}`,
    app_id: ctx.appId,
    app_slug: ctx.state.appSlug,
    target_id: account.id,
    target_type: account.type,
    permissions: { ...APP_PERMISSIONS },
    events: [...APP_EVENTS],
    created_at: iso(i.createdAt),
    updated_at: iso(i.createdAt),
    single_file_name: null,
    has_multiple_single_files: false,
    single_file_paths: [],
    suspended_by: null,
    suspended_at: null,
  };
}

/** `installation-token`. */
export function installationToken(token: FakeToken) {
  return { token: token.token, expires_at: iso(token.expiresAt), permissions: { ...APP_PERMISSIONS }, repository_selection: "all" };
}

/**
 * The answer to `apps/create-from-manifest`: the `integration` plus the credentials GitHub hands
 * out this once. GitHub grants every app metadata:read whether the manifest asks or not.
 */
export function appFromManifest(ctx: RepresentationContext, created: FakeManifestApp) {
  const m = created.manifest;
  return {
    id: created.id,
    slug: created.slug,
    node_id: nodeId("Integration", created.id),
    client_id: created.clientId,
    owner: simpleUser(ctx, created.owner),
    name: m.name,
    description: m.description,
    external_url: m.url,
    html_url: `${ctx.htmlUrl}/apps/${created.slug}`,
    created_at: iso(created.createdAt),
    updated_at: iso(created.createdAt),
    permissions: { metadata: "read", ...m.permissions },
    events: [...m.events],
    client_secret: created.clientSecret,
    webhook_secret: created.webhookSecret,
    pem: created.pem,
  };
}
