import { randomBytes } from "node:crypto";
import { link, lstat, mkdir, open, rename, unlink } from "node:fs/promises";
import { join } from "node:path";
import type { CreatedApp } from "../adapters/github/manifest-conversion.js";

/** What `tfgate setup` keeps of a newly created app: enough to start `tfgate serve`. */
export interface AppCredentials extends Omit<CreatedApp, "webhookSecret"> {
  /** GitHub's, or one tfgate generated when GitHub gave none. */
  readonly webhookSecret: string;
  readonly githubApiUrl: string;
  readonly gitBaseUrl: string;
  readonly publicUrl: string;
}

export const CREDENTIAL_FILES = { privateKey: "private-key.pem", env: "tfgate.env", app: "app.json" } as const;

export type CredentialsWrite =
  | { readonly status: "written"; readonly dir: string; readonly envFile: string; readonly privateKeyFile: string; readonly appFile: string }
  | { readonly status: "exists"; readonly path: string }
  | { readonly status: "failed"; readonly message: string; readonly cause: unknown };

/** The credential files already in `dir`: `tfgate setup` refuses to replace them unless forced. */
export async function existingCredentialFiles(dir: string): Promise<string[]> {
  const names = Object.values(CREDENTIAL_FILES);
  const present = await Promise.all(names.map((name) => lstat(join(dir, name)).then(() => true, () => false)));
  return names.filter((_, i) => present[i]).map((name) => join(dir, name));
}

/**
 * Writes the private key (0600), the server's environment file (0600) and app.json into `dir`
 * (an absolute path; created 0700). Every file is written to a temporary name and moved into place,
 * so a crash leaves either the old file or the new one. Without `replace`, the move is a hard link,
 * which fails rather than overwrite a file that appeared meanwhile; tfgate.env goes last, so its
 * presence means the set is complete.
 */
export async function writeAppCredentials(dir: string, credentials: AppCredentials, options: { readonly replace: boolean }): Promise<CredentialsWrite> {
  const paths = { privateKey: join(dir, CREDENTIAL_FILES.privateKey), env: join(dir, CREDENTIAL_FILES.env), app: join(dir, CREDENTIAL_FILES.app) };
  const contents: readonly (readonly [string, string])[] = [
    [paths.privateKey, credentials.pem.endsWith("\n") ? credentials.pem : `${credentials.pem}\n`],
    [paths.app, `${JSON.stringify(appSummary(credentials), null, 2)}\n`],
    [paths.env, envFile(credentials, paths.privateKey)],
  ];
  const temps: string[] = [];
  const placed: string[] = [];
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    for (const [path, text] of contents) temps.push(await writeTemp(path, text));
    for (const [i, [path]] of contents.entries()) {
      const temp = temps[i] as string;
      if (options.replace) await rename(temp, path);
      else {
        await link(temp, path);
        await unlink(temp);
      }
      placed.push(path);
    }
    await syncDir(dir);
    return { status: "written", dir, envFile: paths.env, privateKeyFile: paths.privateKey, appFile: paths.app };
  } catch (err) {
    // Half a set is worse than none: the next run would refuse because of the leftovers.
    if (!options.replace) await Promise.all(placed.map((p) => unlink(p).catch(() => undefined)));
    await Promise.all(temps.map((t) => unlink(t).catch(() => undefined)));
    const code = (err as { code?: string }).code;
    if (code === "EEXIST") return { status: "exists", path: (err as { dest?: string }).dest ?? dir };
    return { status: "failed", message: `cannot write the credentials to ${dir}: ${(err as Error).message}`, cause: err };
  }
}

/**
 * tfgate.env has plain KEY=value lines, no quoting: the one format both `docker run --env-file` and
 * a shell's `set -a; . tfgate.env` read the same way. A value that would need quoting is refused.
 */
export function isPlainEnvValue(value: string): boolean {
  return /^[^\s"'`$\\#;&|<>()]+$/.test(value);
}

function appSummary(c: AppCredentials) {
  return { id: c.id, slug: c.slug, name: c.name, html_url: c.htmlUrl, client_id: c.clientId, owner: c.owner, install_url: `${c.htmlUrl}/installations/new` };
}

function envFile(c: AppCredentials, privateKeyFile: string): string {
  const entries: readonly (readonly [string, string])[] = [
    ["TFGATE_APP_ID", String(c.id)],
    ["TFGATE_WEBHOOK_SECRET", c.webhookSecret],
    ["TFGATE_PRIVATE_KEY_FILE", privateKeyFile],
    ["TFGATE_GITHUB_API_URL", c.githubApiUrl],
    ["TFGATE_GIT_BASE_URL", c.gitBaseUrl],
    ["TFGATE_PUBLIC_URL", c.publicUrl],
  ];
  for (const [key, value] of entries) {
    if (!isPlainEnvValue(value)) throw new Error(`${key} cannot be written as a plain KEY=value line: ${key === "TFGATE_WEBHOOK_SECRET" ? "(secret)" : JSON.stringify(value)}`);
  }
  const header = [`# tfgate server settings for the GitHub App "${c.name.replace(/[\r\n]/g, " ")}" (id ${c.id}), written by \`tfgate setup\`.`, "# Secret: it holds the webhook secret. Keep it 0600."];
  return `${[...header, ...entries.map(([k, v]) => `${k}=${v}`)].join("\n")}\n`;
}

async function writeTemp(path: string, text: string): Promise<string> {
  const temp = `${path}.${randomBytes(6).toString("hex")}.tmp`;
  const file = await open(temp, "wx", 0o600);
  try {
    // The umask could only narrow 0600, but an explicit chmod states the intent.
    await file.chmod(0o600);
    await file.writeFile(text);
    await file.sync();
  } finally {
    await file.close();
  }
  return temp;
}

async function syncDir(dir: string): Promise<void> {
  // Makes the renames durable; some file systems cannot fsync a directory, which is not an error here.
  try {
    const handle = await open(dir, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    return;
  }
}

