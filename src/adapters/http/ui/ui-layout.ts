import { escapeHtml } from "../../../domain/render/escape-html.js";

/** Tagged template that escapes every interpolated value unless it is already `Html`. */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0] ?? "";
  values.forEach((v, i) => {
    out += render(v) + (strings[i + 1] ?? "");
  });
  return new Html(out);
}

function render(v: unknown): string {
  if (v instanceof Html) return v.text;
  if (Array.isArray(v)) return v.map(render).join("");
  if (v === null || v === undefined || v === false) return "";
  return escapeHtml(String(v));
}

const STYLE = `
body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1f2328;background:#f6f8fa}
header{background:#24292f;color:#fff;padding:10px 20px;display:flex;gap:20px;align-items:center}
header a{color:#fff;text-decoration:none}header strong{margin-right:12px}
main{padding:16px 20px;max-width:1200px}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{border:1px solid #d0d7de;padding:5px 8px;text-align:left;vertical-align:top}
th{background:#eaeef2}
pre{background:#0d1117;color:#e6edf3;padding:12px;overflow:auto;max-height:70vh;white-space:pre-wrap}
.state-succeeded{color:#1a7f37}.state-failed,.state-interrupted{color:#cf222e}.state-running,.state-queued{color:#9a6700}
button{padding:4px 12px;cursor:pointer}.danger{background:#cf222e;color:#fff;border:1px solid #a40e26}
.muted{color:#656d76}
.drift-in-sync{color:#1a7f37}.drift-drifted{color:#bc4c00;font-weight:600}.drift-error{color:#cf222e}.drift-started{color:#9a6700}
form.inline{display:inline;margin-left:8px}details pre{max-height:50vh}h2{font-size:18px;margin:20px 0 8px}main>div{margin:0 0 12px}
`;

/** A whole page: the same header and navigation everywhere. */
export function page(title: string, body: Html, options: { readonly script?: string } = {}): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · tfgate</title>
<style>${new Html(STYLE)}</style>
${options.script ? html`<script src="${options.script}" defer></script>` : ""}
</head>
<body>
<header><strong>tfgate</strong><a href="/ui/runs">Runs</a><a href="/ui/locks">Locks</a><a href="/ui/drift">Drift</a><a href="/ui/audit">Audit log</a></header>
<main>
<h1>${title}</h1>
${body}
</main>
</body>
</html>
`.text;
}

export function time(ms: number | null): string {
  return ms === null ? "" : new Date(ms).toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z");
}

export function duration(from: number | null, to: number | null): string {
  if (from === null || to === null) return "";
  const s = Math.max(0, Math.round((to - from) / 1000));
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m ${s % 60}s`;
}
