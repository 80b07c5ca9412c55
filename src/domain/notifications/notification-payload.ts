import type { ChangeCounts, NotificationEvent } from "./notification-event.js";

export type NotificationFormat = "json" | "slack";

/** The body a receiver gets: tfgate's own JSON, or a Slack incoming-webhook message. */
export function notificationPayload(n: NotificationEvent, format: NotificationFormat, deliveredAt: string): unknown {
  if (format === "json") return { event: n.event, delivered_at: deliveredAt, data: n.data };
  const text = slackText(n);
  // `text` is Slack's fallback (notifications, screen readers); the section is what the channel shows.
  return { text, blocks: [{ type: "section", text: { type: "mrkdwn", text } }] };
}

/** Slack's mrkdwn treats &, < and > as control characters: names from a repository are escaped. */
function esc(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function link(url: string | null, label: string): string {
  return url ? `<${esc(url)}|${esc(label)}>` : esc(label);
}

function counts(c: ChangeCounts): string {
  return `${c.add} to add, ${c.change} to change, ${c.replace} to replace, ${c.destroy} to destroy`;
}

function slackText(n: NotificationEvent): string {
  switch (n.event) {
    case "apply.succeeded":
    case "apply.failed": {
      const d = n.data;
      const pr = link(d.pr.url, `${d.repo}#${d.pr.number}`);
      const who = `applied by ${esc(d.appliedBy)}${d.approvedBy.length > 0 ? `, approved by ${esc(d.approvedBy.join(", "))}` : ""}`;
      const head =
        n.event === "apply.succeeded"
          ? `:white_check_mark: *${esc(d.project)}* applied from ${pr} (\`${d.headSha.slice(0, 7)}\`)`
          : `:x: *${esc(d.project)}*: apply ${n.data.reason} on ${pr} (\`${d.headSha.slice(0, 7)}\`): ${esc(n.data.message)}`;
      return `${head}\n${who}; ${counts(d.counts)}${d.logUrl ? ` · ${link(d.logUrl, "log")}` : ""}`;
    }
    case "pr.merged-unapplied":
      return `:warning: ${link(n.data.pr.url, `${n.data.repo}#${n.data.pr.number}`)} was merged${n.data.mergedBy ? ` by ${esc(n.data.mergedBy)}` : ""} without applying ${n.data.projects.map((p) => `*${esc(p)}*`).join(", ")}`;
    case "drift.found":
      return `:rotating_light: drift in *${esc(n.data.project)}* of ${esc(n.data.repo)}: ${counts(n.data.counts)}${n.data.url ? ` · ${link(n.data.url, "details")}` : ""}`;
    case "drift.resolved":
      return `:large_green_circle: *${esc(n.data.project)}* of ${esc(n.data.repo)} matches its configuration again${n.data.url ? ` · ${link(n.data.url, "details")}` : ""}`;
  }
}
