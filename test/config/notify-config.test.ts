import { describe, expect, it } from "vitest";
import { parseServerConfig, secretsOf } from "../../src/config/server-config.js";

const base = { TFGATE_WEBHOOK_SECRET: "0123456789abcdef0123", TFGATE_APP_ID: "42", TFGATE_PRIVATE_KEY_FILE: "/keys/app.pem" };
const notify = { TFGATE_NOTIFY_URL: "https://hooks.example/T0KEN", TFGATE_NOTIFY_SECRET: "notify-secret-0123456789" };
const problems = (env: Record<string, string>) => {
  const r = parseServerConfig({ ...base, ...env });
  return r.ok ? "" : r.problems.join("\n");
};

describe("TFGATE_NOTIFY_*", () => {
  it("off without a URL", () => {
    const r = parseServerConfig(base);
    expect(r.ok && r.config.notify).toBeNull();
  });

  it("reads URL, secret, format (json by default) and an event filter (all by default)", () => {
    const r = parseServerConfig({ ...base, ...notify });
    expect(r.ok && r.config.notify).toEqual({ url: notify.TFGATE_NOTIFY_URL, secret: notify.TFGATE_NOTIFY_SECRET, format: "json", events: null });
    const s = parseServerConfig({ ...base, ...notify, TFGATE_NOTIFY_FORMAT: "slack", TFGATE_NOTIFY_EVENTS: " apply.failed ,drift.found" });
    expect(s.ok && s.config.notify).toMatchObject({ format: "slack", events: ["apply.failed", "drift.found"] });
    // The secret and the URL (which may hold a token) are scrubbed like the server's own secrets.
    expect(r.ok && secretsOf(r.config)).toEqual(expect.arrayContaining([notify.TFGATE_NOTIFY_URL, notify.TFGATE_NOTIFY_SECRET]));
  });

  it("names each bad value", () => {
    expect(problems({ ...notify, TFGATE_NOTIFY_URL: "ftp://hooks.example/x" })).toContain("TFGATE_NOTIFY_URL: must be an http:// or https:// URL");
    expect(problems({ ...notify, TFGATE_NOTIFY_URL: "not a url" })).toContain("TFGATE_NOTIFY_URL: must be an http:// or https:// URL");
    expect(problems({ ...notify, TFGATE_NOTIFY_FORMAT: "teams" })).toContain("TFGATE_NOTIFY_FORMAT: json (the default) or slack");
    expect(problems({ ...notify, TFGATE_NOTIFY_EVENTS: "apply.succeeded,apply.done" })).toContain("TFGATE_NOTIFY_EVENTS: a comma-separated list of apply.succeeded, apply.failed");
    expect(problems({ ...notify, TFGATE_NOTIFY_SECRET: "short" })).toContain("TFGATE_NOTIFY_SECRET: must be at least 16 characters");
  });

  it("a URL needs a secret; settings without a URL are refused rather than ignored", () => {
    expect(problems({ TFGATE_NOTIFY_URL: notify.TFGATE_NOTIFY_URL })).toContain("TFGATE_NOTIFY_SECRET is required with TFGATE_NOTIFY_URL");
    expect(problems({ TFGATE_NOTIFY_SECRET: notify.TFGATE_NOTIFY_SECRET, TFGATE_NOTIFY_FORMAT: "slack" })).toContain("TFGATE_NOTIFY_FORMAT, TFGATE_NOTIFY_SECRET: set without TFGATE_NOTIFY_URL");
  });

  it("reports notify problems together with the server's others", () => {
    const all = problems({ TFGATE_APP_ID: "abc", TFGATE_NOTIFY_URL: "ftp://x" });
    expect(all).toContain("TFGATE_APP_ID");
    expect(all).toContain("TFGATE_NOTIFY_URL");
  });
});
