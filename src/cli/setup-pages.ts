import { escapeHtml } from "../domain/render/escape-html.js";
import type { AppManifest } from "./app-manifest.js";

/** The pages `tfgate setup` shows in the browser. Everything interpolated is escaped. */

export interface ManifestFormPage {
  /** GitHub's "new app" URL with the state, where the form posts the manifest. */
  readonly action: string;
  readonly manifest: AppManifest;
  /** "your account" or "the organization ORG", on which GitHub host. */
  readonly ownerLabel: string;
}

export function manifestFormPage(page: ManifestFormPage): string {
  const permissions = Object.entries(page.manifest.default_permissions)
    .map(([name, access]) => `<li><code>${escapeHtml(name)}</code>: ${escapeHtml(access)}</li>`)
    .join("");
  const events = page.manifest.default_events.map((e) => `<code>${escapeHtml(e)}</code>`).join(", ");
  return layout(
    "Create the tfgate GitHub App",
    `<p>This registers a private GitHub App for ${escapeHtml(page.ownerLabel)}. GitHub shows the settings
before creating anything; you may change the app's name there (names are unique on GitHub).</p>
<ul>
<li>Webhook URL: <code>${escapeHtml(page.manifest.hook_attributes.url)}</code></li>
<li>Homepage: <code>${escapeHtml(page.manifest.url)}</code></li>
<li>Events: ${events}</li>
</ul>
<p>Permissions:</p><ul>${permissions}</ul>
<form method="post" action="${escapeHtml(page.action)}">
<input type="hidden" name="manifest" value="${escapeHtml(JSON.stringify(page.manifest))}">
<button type="submit">Continue to GitHub</button>
</form>`,
  );
}

export interface CreatedPage {
  readonly appName: string;
  readonly htmlUrl: string;
  readonly installUrl: string;
  readonly dir: string;
  readonly envFile: string;
}

export function createdPage(page: CreatedPage): string {
  return layout(
    "The GitHub App is created",
    `<p>The app <a href="${escapeHtml(page.htmlUrl)}">${escapeHtml(page.appName)}</a> exists. Its credentials are in
<code>${escapeHtml(page.dir)}</code> (private key, and <code>${escapeHtml(page.envFile)}</code> for the server); they are not shown here.</p>
<p>Next: <a href="${escapeHtml(page.installUrl)}">install the app</a> on the repositories tfgate should plan, then start
the server with that environment file. You can close this tab.</p>`,
  );
}

export function problemPage(title: string, message: string): string {
  return layout(title, `<p>${escapeHtml(message)}</p>`);
}

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>tfgate setup: ${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem;line-height:1.5}button{font-size:1rem;padding:.5rem 1rem}</style></head>
<body><h1>${escapeHtml(title)}</h1>
${body}
</body>
</html>
`;
}
