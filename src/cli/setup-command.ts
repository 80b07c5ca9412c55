import { randomBytes } from "node:crypto";
import { convertManifestCode } from "../adapters/github/manifest-conversion.js";
import type { CreatedApp, ManifestConversion } from "../adapters/github/manifest-conversion.js";
import { existingCredentialFiles, isPlainEnvValue, writeAppCredentials, type AppCredentials } from "./app-credentials.js";
import { fillAppManifest, loadAppManifest } from "./app-manifest.js";
import { EXIT, type CliIo, type ExitCode } from "./cli-io.js";
import { parseSetupArgs, SETUP_USAGE, type SetupArgs } from "./setup-args.js";
import { createdPage, manifestFormPage, problemPage } from "./setup-pages.js";
import { startSetupSession, type PageAnswer } from "./setup-session.js";

export interface SetupContext {
  readonly io: CliIo;
  /** github-app-manifest.json as shipped with tfgate. */
  readonly manifestPath: string;
  /** Relative paths in the options are resolved against it. */
  readonly cwd: string;
  /** Ctrl-C: stops waiting (a redirect already being handled still finishes). */
  readonly signal?: AbortSignal;
}

/** 1 for a setup that did not end with stored credentials, whatever the reason. */
const FAILED: ExitCode = EXIT.planFailed;

type Outcome = { readonly ok: boolean };

/**
 * `tfgate setup`: GitHub's manifest flow from a terminal. A local page posts the committed manifest
 * (with this installation's URLs) to GitHub; GitHub creates the app and sends the browser back with
 * a one-time code; tfgate trades the code for the app's id, private key and webhook secret and
 * writes them where `tfgate serve` reads them. Secrets go to files only, never to the output.
 */
export async function setupCommand(argv: readonly string[], ctx: SetupContext): Promise<ExitCode> {
  const { io } = ctx;
  const parsed = parseSetupArgs(argv, { cwd: ctx.cwd, manifestPath: ctx.manifestPath });
  if (!parsed.ok) {
    io.err(`tfgate: ${parsed.problem}\n\n${SETUP_USAGE}`);
    return EXIT.invalidInput;
  }
  const args = parsed.args;
  const loaded = await loadAppManifest(args.manifestPath);
  if (!loaded.ok) {
    io.err(`tfgate: ${loaded.problem}\n`);
    return EXIT.invalidInput;
  }
  // Checked before GitHub creates anything: an app whose key cannot be stored is an app to delete.
  const existing = await existingCredentialFiles(args.outDir);
  if (existing.length > 0 && !args.force) {
    io.err(`tfgate: ${existing.join(", ")} already exist${existing.length === 1 ? "s" : ""}; tfgate setup does not replace credentials. Choose another --out, move them away, or pass --force to replace them.\n`);
    return EXIT.invalidInput;
  }
  const unwritable = [args.publicUrl, args.apiUrl, args.githubUrl, args.outDir].find((v) => !isPlainEnvValue(v));
  if (unwritable !== undefined) {
    io.err(`tfgate: "${unwritable}" cannot go into tfgate.env as a plain value (no spaces, quotes or shell characters)\n`);
    return EXIT.invalidInput;
  }

  const state = randomBytes(32).toString("base64url");
  const newAppUrl = args.org === null ? `${args.githubUrl}/settings/apps/new` : `${args.githubUrl}/organizations/${args.org}/settings/apps/new`;
  const ownerLabel = `${args.org === null ? "your user account" : `the organization ${args.org}`} on ${args.githubUrl}`;
  const signal = AbortSignal.any([ctx.signal ?? new AbortController().signal, AbortSignal.timeout(args.timeoutMs)]);
  let session;
  try {
    session = await startSetupSession<Outcome>({
      host: args.host,
      port: args.port,
      state,
      formOrigin: new URL(args.githubUrl).origin,
      signal,
      startPage: (redirectUrl) =>
        manifestFormPage({
          action: `${newAppUrl}?state=${encodeURIComponent(state)}`,
          manifest: fillAppManifest(loaded.manifest, { publicUrl: args.publicUrl, redirectUrl }),
          ownerLabel,
        }),
      complete: (code) => complete(code, args, io),
    });
  } catch (err) {
    io.err(`tfgate: cannot listen on ${args.host}:${args.port}: ${(err as Error).message}\n`);
    return FAILED;
  }
  io.out(
    `Open this page in a browser to create tfgate's GitHub App for ${ownerLabel}:\n\n  ${session.url}\n\n` +
      `GitHub will send webhooks to ${args.publicUrl}/webhooks. Waiting up to ${Math.round(args.timeoutMs / 1000)} s (Ctrl-C to stop)...\n`,
  );
  try {
    const end = await session.ended;
    if (end.kind === "completed") return end.result.ok ? EXIT.ok : FAILED;
    const timedOut = (end.reason as { name?: string } | undefined)?.name === "TimeoutError";
    io.err(timedOut ? `tfgate: GitHub did not send the browser back within ${Math.round(args.timeoutMs / 1000)} s; nothing was written.\n` : "tfgate: setup interrupted; nothing was written.\n");
    return FAILED;
  } catch (err) {
    io.err(`tfgate: setup failed: ${err instanceof Error ? err.message : String(err)}\n`);
    return FAILED;
  } finally {
    await session.close();
  }
}

async function complete(code: string, args: SetupArgs, io: CliIo): Promise<{ page: PageAnswer; result: Outcome }> {
  const conversion = await convertManifestCode({ apiUrl: args.apiUrl, code });
  if (conversion.status !== "created") {
    const why = conversionProblem(conversion);
    io.err(`tfgate: GitHub did not hand over the new app's credentials: ${why}. Nothing was written.\n`);
    return { page: { status: 502, html: problemPage("No credentials from GitHub", `${why}. Nothing was written; run tfgate setup again.`) }, result: { ok: false } };
  }
  const app = conversion.app;
  const settingsUrl = args.org === null ? `${args.githubUrl}/settings/apps/${app.slug}` : `${args.githubUrl}/organizations/${args.org}/settings/apps/${app.slug}`;
  // GitHub generates a secret for a manifest with a webhook; should it not, the server still needs one.
  const webhookSecret = app.webhookSecret ?? randomBytes(32).toString("hex");
  const written = await writeAppCredentials(args.outDir, credentialsOf(app, webhookSecret, args), { replace: args.force });
  if (written.status !== "written") {
    const why = written.status === "exists" ? `${written.path} appeared meanwhile and was left alone` : written.message;
    const message = `The app ${app.htmlUrl} was created, but its credentials could not be stored (${why}). Generate a private key and set a webhook secret at ${settingsUrl}, or delete the app there and run tfgate setup again.`;
    io.err(`tfgate: ${message}\n`);
    return { page: { status: 500, html: problemPage("Credentials not stored", message) }, result: { ok: false } };
  }
  const installUrl = `${app.htmlUrl}/installations/new`;
  io.out(
    [
      `Created the GitHub App "${app.name}" (id ${app.id}): ${app.htmlUrl}`,
      `Credentials are in ${written.dir}:`,
      `  private-key.pem  the app's private key (mode 0600)`,
      `  tfgate.env       TFGATE_APP_ID, TFGATE_WEBHOOK_SECRET, TFGATE_PRIVATE_KEY_FILE and GitHub's URLs for \`tfgate serve\` (mode 0600)`,
      `  app.json         the app's id, slug, URLs and client id (no secrets)`,
      ...(app.webhookSecret === null ? [`GitHub generated no webhook secret; set the one in tfgate.env as the app's webhook secret at ${settingsUrl}`] : []),
      "Next:",
      `  1. Install the app on the repositories tfgate should plan: ${installUrl}`,
      `  2. Start the server with these settings: set -a; . ${written.envFile}; set +a; tfgate serve`,
      `     (in a container: docker run --env-file ${written.envFile} ..., with ${written.dir} mounted at the same path)`,
      "",
    ].join("\n"),
  );
  return { page: { status: 200, html: createdPage({ appName: app.name, htmlUrl: app.htmlUrl, installUrl, dir: written.dir, envFile: written.envFile }) }, result: { ok: true } };
}

function credentialsOf(app: CreatedApp, webhookSecret: string, args: SetupArgs): AppCredentials {
  return { ...app, webhookSecret, githubApiUrl: args.apiUrl, gitBaseUrl: args.githubUrl, publicUrl: args.publicUrl };
}

function conversionProblem(conversion: Exclude<ManifestConversion, { status: "created" }>): string {
  switch (conversion.status) {
    case "refused":
      return conversion.httpStatus === 404
        ? `GitHub does not know the code (404: ${conversion.message}); codes work once and expire after an hour`
        : `GitHub refused the code (${conversion.httpStatus}: ${conversion.message})`;
    case "unreachable":
    case "invalid-response":
      return conversion.message;
  }
}
