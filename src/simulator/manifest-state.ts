import { generateKeyPairSync, randomBytes } from "node:crypto";
import { FakeGitHubError } from "./fake-github-error.js";
import type { AccountType, FakeAccount, FakeAppManifest, FakeManifestApp } from "./fake-github-model.js";

export interface ManifestDeps {
  readonly nextId: () => number;
  readonly now: () => Date;
  readonly addUser: (login: string, type?: AccountType) => FakeAccount;
}

export interface AddManifestCodeOptions {
  /** The account that submitted the manifest and owns the app (default: tfgate-dev). */
  readonly owner?: string;
  readonly ownerType?: Exclude<AccountType, "Bot">;
}

/** GitHub: "the code expires after one hour". */
const CODE_TTL_MS = 3_600_000;

const MANIFEST_KEYS = new Set([
  "name", "url", "description", "hook_attributes", "redirect_url", "callback_urls", "setup_url",
  "public", "default_permissions", "default_events", "request_oauth_on_install", "setup_on_update",
]);

/** Webhook events the fake knows, and the permissions of which one must be granted to receive each. */
const EVENT_NEEDS: Readonly<Record<string, readonly string[]>> = {
  pull_request: ["pull_requests"],
  pull_request_review: ["pull_requests"],
  pull_request_review_comment: ["pull_requests"],
  issue_comment: ["issues", "pull_requests"],
  issues: ["issues"],
  push: ["contents"],
  status: ["statuses"],
  check_run: ["checks"],
  check_suite: ["checks"],
  member: ["members"],
};

/** The manifest flow: apps created from manifests, and the one-time codes that hand over their credentials. */
export function createManifestState(deps: ManifestDeps) {
  const pending = new Map<string, { readonly app: FakeManifestApp; readonly expiresAt: Date }>();
  const apps: FakeManifestApp[] = [];

  return {
    /**
     * Stands for someone submitting `manifest` on GitHub's "new app" page: GitHub creates the app
     * (with a fresh RSA key and webhook secret) and redirects the browser with `code`. Throws what
     * GitHub's page would refuse.
     */
    addManifestCode(code: string, manifest: unknown, options: AddManifestCodeOptions = {}): FakeManifestApp {
      if (!/^[A-Za-z0-9_-]+$/.test(code)) throw new FakeGitHubError("invalid-argument", `manifest code "${code}" is not URL-safe`);
      if (pending.has(code)) throw new FakeGitHubError("conflict", `manifest code ${code} is already pending`);
      const checked = checkManifest(manifest);
      const owner = options.owner ?? "tfgate-dev";
      deps.addUser(owner, options.ownerType ?? "User");
      const { privateKey } = generateKeyPairSync("rsa", {
        modulusLength: 2048,
        privateKeyEncoding: { type: "pkcs1", format: "pem" },
        publicKeyEncoding: { type: "spki", format: "pem" },
      });
      const app: FakeManifestApp = {
        id: deps.nextId(),
        slug: checked.name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "") || "app",
        owner,
        manifest: checked,
        clientId: `Iv23li${randomBytes(7).toString("hex")}`,
        clientSecret: randomBytes(20).toString("hex"),
        webhookSecret: checked.hookUrl === null ? null : randomBytes(20).toString("hex"),
        pem: privateKey,
        createdAt: deps.now(),
      };
      apps.push(app);
      pending.set(code, { app, expiresAt: new Date(deps.now().getTime() + CODE_TTL_MS) });
      return app;
    },
    /** GitHub's side of the conversion: a code works once, within the hour; otherwise undefined (404). */
    redeemManifestCode(code: string): FakeManifestApp | undefined {
      const entry = pending.get(code);
      pending.delete(code);
      return entry && entry.expiresAt > deps.now() ? entry.app : undefined;
    },
    /** Every app created from a manifest, whether or not its code was redeemed. */
    manifestApps: (): readonly FakeManifestApp[] => [...apps],
  };
}

function checkManifest(value: unknown): FakeAppManifest {
  const refuse = (message: string): never => {
    throw new FakeGitHubError("invalid-argument", `GitHub would refuse this manifest: ${message}`);
  };
  if (typeof value !== "object" || value === null || Array.isArray(value)) return refuse("it is not a JSON object");
  const m = value as Record<string, unknown>;
  const unknown = Object.keys(m).filter((k) => !MANIFEST_KEYS.has(k));
  if (unknown.length > 0) refuse(`unknown fields ${unknown.join(", ")}`);
  const name = m.name;
  if (typeof name !== "string" || name.trim() === "" || name.length > 34) refuse("name must be 1 to 34 characters");
  const url = webUrl(m.url) ?? refuse("url (the homepage) must be an http(s) URL");
  let hookUrl: string | null = null;
  if (m.hook_attributes !== undefined) {
    const hook = m.hook_attributes as Record<string, unknown> | null;
    hookUrl = webUrl(hook?.url) ?? refuse("hook_attributes.url must be an http(s) URL");
    if (hook?.active === false) hookUrl = null;
  }
  const redirectUrl = m.redirect_url === undefined ? null : (webUrl(m.redirect_url) ?? refuse("redirect_url must be an http(s) URL"));
  if (m.public !== undefined && typeof m.public !== "boolean") refuse("public must be a boolean");
  const permissions: Record<string, string> = {};
  const given = m.default_permissions ?? {};
  if (typeof given !== "object" || given === null || Array.isArray(given)) return refuse("default_permissions must be an object");
  for (const [scope, access] of Object.entries(given)) {
    if (access !== "read" && access !== "write" && access !== "admin") refuse(`default_permissions.${scope} must be read, write or admin`);
    permissions[scope] = access as string;
  }
  const events = m.default_events ?? [];
  if (!Array.isArray(events) || events.some((e) => typeof e !== "string")) return refuse("default_events must be a list of event names");
  for (const event of events as string[]) {
    const needs = EVENT_NEEDS[event] ?? refuse(`the fake does not know the event ${event}`);
    if (!needs.some((p) => permissions[p] !== undefined)) refuse(`the event ${event} needs one of the permissions ${needs.join(", ")}`);
  }
  return {
    name: name as string,
    url,
    description: typeof m.description === "string" ? m.description : null,
    hookUrl,
    redirectUrl,
    public: m.public === true,
    permissions,
    events: [...(events as string[])],
  };
}

function webUrl(value: unknown): string | null {
  if (typeof value !== "string") return null;
  try {
    const parsed = new URL(value);
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? value : null;
  } catch {
    return null;
  }
}
