import { resolve } from "node:path";
import { parseArgs } from "node:util";

export const SETUP_USAGE = `Usage:
  tfgate setup --public-url URL [--org ORG] [--out DIR] [--github-url URL] [--api-url URL]
               [--port N] [--host ADDR] [--timeout SECONDS] [--force] [--manifest FILE]

Creates tfgate's GitHub App through GitHub's manifest flow and stores its credentials.

Options:
  --public-url URL   where tfgate will be reachable; GitHub sends webhooks to URL/webhooks
  --org ORG          create the app under this organization (default: your user account)
  --out DIR          where to write private-key.pem, tfgate.env and app.json (default: ./tfgate-app)
  --github-url URL   GitHub's web address (default: https://github.com; GHES: https://HOST)
  --api-url URL      GitHub's API (default: https://api.github.com, or GITHUB-URL/api/v3 for GHES)
  --port N           port of the local page (default: 0, any free port)
  --host ADDR        address of the local page (default: 127.0.0.1; 0.0.0.0 in a container)
  --timeout SECONDS  give up waiting for GitHub after this long (default: 600)
  --force            replace credentials already in --out
  --manifest FILE    another app manifest (default: github-app-manifest.json shipped with tfgate)
`;

export interface SetupArgs {
  readonly publicUrl: string;
  readonly org: string | null;
  readonly githubUrl: string;
  readonly apiUrl: string;
  /** Absolute. */
  readonly outDir: string;
  readonly port: number;
  readonly host: string;
  readonly timeoutMs: number;
  readonly force: boolean;
  readonly manifestPath: string;
}

export type SetupArgsResult = { readonly ok: true; readonly args: SetupArgs } | { readonly ok: false; readonly problem: string };

export interface SetupArgDefaults {
  /** Relative paths are resolved against it. */
  readonly cwd: string;
  readonly manifestPath: string;
}

/** Parses `tfgate setup`'s options; every problem names the option. */
export function parseSetupArgs(argv: readonly string[], defaults: SetupArgDefaults): SetupArgsResult {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        "public-url": { type: "string" },
        org: { type: "string" },
        out: { type: "string" },
        "github-url": { type: "string" },
        "api-url": { type: "string" },
        port: { type: "string" },
        host: { type: "string" },
        timeout: { type: "string" },
        force: { type: "boolean", default: false },
        manifest: { type: "string" },
      },
    }));
  } catch (err) {
    return { ok: false, problem: (err as Error).message };
  }
  const problems: string[] = [];
  const url = (name: string, value: string | undefined): string => {
    if (value === undefined) return "";
    const checked = webUrl(value);
    if (checked === null) problems.push(`--${name} must be an http(s) URL without query or fragment, got "${value}"`);
    return checked ?? "";
  };
  if (values["public-url"] === undefined) problems.push("--public-url is required (where GitHub will reach tfgate)");
  const publicUrl = url("public-url", values["public-url"]);
  const githubUrl = url("github-url", values["github-url"] ?? "https://github.com");
  const apiUrl = values["api-url"] === undefined ? defaultApiUrl(githubUrl) : url("api-url", values["api-url"]);
  const org = values.org ?? null;
  // GitHub logins: alphanumerics and single hyphens, at most 39 characters.
  if (org !== null && !/^[A-Za-z0-9](?:-?[A-Za-z0-9]){0,38}$/.test(org)) problems.push(`--org must be an organization login, got "${org}"`);
  const port = wholeNumber(values.port ?? "0", 0, 65_535);
  if (port === null) problems.push(`--port must be a number from 0 to 65535, got "${values.port ?? ""}"`);
  const timeout = wholeNumber(values.timeout ?? "600", 1, 86_400);
  if (timeout === null) problems.push(`--timeout must be a number of seconds from 1 to 86400, got "${values.timeout ?? ""}"`);
  const host = values.host ?? "127.0.0.1";
  if (host.trim() === "") problems.push("--host must not be empty");
  if (problems.length > 0) return { ok: false, problem: problems.join("; ") };
  return {
    ok: true,
    args: {
      publicUrl,
      org,
      githubUrl,
      apiUrl,
      outDir: resolve(defaults.cwd, values.out ?? "tfgate-app"),
      port: port ?? 0,
      host,
      timeoutMs: (timeout ?? 600) * 1000,
      force: values.force ?? false,
      manifestPath: values.manifest === undefined ? defaults.manifestPath : resolve(defaults.cwd, values.manifest),
    },
  };
}

/** github.com's API has its own host; GitHub Enterprise Server serves it under /api/v3. */
function defaultApiUrl(githubUrl: string): string {
  return githubUrl === "https://github.com" || githubUrl === "" ? "https://api.github.com" : `${githubUrl}/api/v3`;
}

function webUrl(value: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    return null;
  }
  if ((parsed.protocol !== "https:" && parsed.protocol !== "http:") || parsed.search !== "" || parsed.hash !== "" || parsed.username !== "" || parsed.password !== "") return null;
  return parsed.href.replace(/\/+$/, "");
}

function wholeNumber(value: string, min: number, max: number): number | null {
  if (!/^\d+$/.test(value)) return null;
  const n = Number(value);
  return n >= min && n <= max ? n : null;
}
