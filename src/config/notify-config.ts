/**
 * The outgoing notifier's settings (`TFGATE_NOTIFY_*`), read beside the server's own. Without a
 * URL notifications are off and the other variables must not be set: a secret or format with no
 * URL is almost always a typo in the URL's name, which would otherwise silently send nothing.
 */
import { z } from "zod";
import { envProblems, presentVars, type Env } from "./env-values.js";
import { isNotificationEventName, NOTIFICATION_EVENT_NAMES, type NotificationEventName } from "../domain/notifications/notification-event.js";
import type { NotificationFormat } from "../domain/notifications/notification-payload.js";

export interface NotifyConfig {
  readonly url: string;
  readonly format: NotificationFormat;
  /** Signs every body; required, since whoever can reach the receiver could otherwise forge "applied". */
  readonly secret: string;
  /** null: every event. */
  readonly events: readonly NotificationEventName[] | null;
}

export type NotifyConfigResult = { readonly ok: true; readonly config: NotifyConfig | null } | { readonly ok: false; readonly problems: readonly string[] };

const schema = z.object({
  TFGATE_NOTIFY_URL: z
    .string()
    .refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol), "must be an http:// or https:// URL")
    .optional(),
  TFGATE_NOTIFY_FORMAT: z.enum(["json", "slack"], { error: "json (the default) or slack" }).default("json"),
  TFGATE_NOTIFY_SECRET: z.string().min(16, "must be at least 16 characters (generate one: openssl rand -hex 32)").optional(),
  TFGATE_NOTIFY_EVENTS: z
    .string()
    .refine(
      (v) => v.split(",").every((name) => isNotificationEventName(name.trim())),
      `a comma-separated list of ${NOTIFICATION_EVENT_NAMES.join(", ")}`,
    )
    .optional(),
});

export function parseNotifyConfig(env: Env): NotifyConfigResult {
  const present = Object.fromEntries(Object.entries(presentVars(env)).filter(([k]) => k.startsWith("TFGATE_NOTIFY_")));
  const parsed = schema.safeParse(present);
  if (!parsed.success) return { ok: false, problems: envProblems(parsed.error.issues, present) };
  const e = parsed.data;
  if (e.TFGATE_NOTIFY_URL === undefined) {
    const stray = Object.keys(present).sort();
    return stray.length === 0 ? { ok: true, config: null } : { ok: false, problems: [`${stray.join(", ")}: set without TFGATE_NOTIFY_URL (notifications are off without it)`] };
  }
  if (e.TFGATE_NOTIFY_SECRET === undefined) {
    return { ok: false, problems: ["TFGATE_NOTIFY_SECRET is required with TFGATE_NOTIFY_URL: receivers check X-Tfgate-Signature-256 with it (generate one: openssl rand -hex 32)"] };
  }
  return {
    ok: true,
    config: {
      url: e.TFGATE_NOTIFY_URL,
      format: e.TFGATE_NOTIFY_FORMAT,
      secret: e.TFGATE_NOTIFY_SECRET,
      events: e.TFGATE_NOTIFY_EVENTS === undefined ? null : [...new Set(e.TFGATE_NOTIFY_EVENTS.split(",").map((n) => n.trim() as NotificationEventName))],
    },
  };
}
