import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/adapters/logging/create-logger.js";

const WEBHOOK_SECRET = "wh-secret-5f1c2e9a7b3d4c6e";
const PEM = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();
// Not in the secrets list: minted at run time, so only their shape can give them away.
const INSTALLATION_TOKEN = "ghs_16C7e42F292c6912E7710c838347Ae178B4a";
const PERSONAL_TOKEN = "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789";
const FINE_GRAINED_TOKEN = "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ";

/** A logger writing into memory, and its lines parsed back. */
function capture(secrets: string[] = [WEBHOOK_SECRET, PEM]) {
  const chunks: string[] = [];
  const log = createLogger({ secrets, destination: { write: (line: string) => void chunks.push(line) } });
  const text = () => chunks.join("");
  const lines = () => chunks.join("").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
  return { log, text, lines };
}

/** Every form a leaked private key could take in a line: whole, or any of its base64 lines. */
function pemPieces(pem: string): string[] {
  return pem.split("\n").filter((l) => l.length >= 16 && !l.startsWith("-----"));
}

function expectNoSecrets(output: string, extra: string[] = []): void {
  for (const s of [WEBHOOK_SECRET, INSTALLATION_TOKEN, PERSONAL_TOKEN, FINE_GRAINED_TOKEN, ...pemPieces(PEM), ...extra]) {
    expect(output).not.toContain(s);
  }
}

/** Shaped like @octokit/request-error's RequestError (without importing Octokit outside adapters/github). */
class FakeRequestError extends Error {
  override name = "HttpError";
  constructor(
    message: string,
    readonly status: number,
    readonly request: { method: string; url: string; headers: Record<string, string> },
  ) {
    super(message);
  }
}

describe("createLogger keeps secrets and tokens out of the logs", () => {
  it("scrubs the server's secrets from messages, format arguments and fields at any depth", () => {
    const { log, text, lines } = capture();
    log.info({ delivery: "d-1", detail: { nested: { note: `signed with ${WEBHOOK_SECRET}` } } }, `verifying with ${WEBHOOK_SECRET}`);
    log.warn("key was %s", PEM);
    expectNoSecrets(text());
    const [first, second] = lines();
    expect(first).toMatchObject({ level: 30, service: "tfgate", delivery: "d-1", detail: { nested: { note: "signed with ***" } }, msg: "verifying with ***" });
    expect(second?.["msg"]).toBe("key was ***");
  });

  it("masks an installation token in a git URL inside an error's message and stack, keeping the rest", () => {
    const { log, text, lines } = capture();
    const url = `https://x-access-token:${INSTALLATION_TOKEN}@github.com/acme/infra.git`;
    const err = new Error(`git fetch ${url} failed: exit 128`);
    log.error({ err, repo: "acme/infra" }, "fetch failed");
    expectNoSecrets(text());
    const line = lines()[0] as { err: { type: string; message: string; stack: string }; repo: string; msg: string };
    expect(line.err.type).toBe("Error");
    expect(line.err.message).toBe("git fetch https://x-access-token:***@github.com/acme/infra.git failed: exit 128");
    expect(line.err.stack).toContain("x-access-token:***@github.com/acme/infra.git");
    expect(line.repo).toBe("acme/infra");
    expect(line.msg).toBe("fetch failed");
  });

  it("masks tokens in an Octokit-shaped error's request headers and message, by shape and by field name", () => {
    const { log, text, lines } = capture();
    const err = new FakeRequestError(`Bad credentials (token ${PERSONAL_TOKEN})`, 401, {
      method: "GET",
      url: "https://api.github.com/repos/acme/infra",
      headers: { authorization: `token ${FINE_GRAINED_TOKEN}`, "user-agent": "tfgate" },
    });
    log.error({ err }, "GitHub call failed");
    expectNoSecrets(text());
    const line = lines()[0] as { err: { type: string; status: number; message: string; request: { url: string; headers: Record<string, string> } } };
    expect(line.err).toMatchObject({ type: "FakeRequestError", status: 401, message: "Bad credentials (token ghp_***)" });
    expect(line.err.request.url).toBe("https://api.github.com/repos/acme/infra");
    expect(line.err.request.headers).toEqual({ authorization: "***", "user-agent": "tfgate" });
  });

  it("masks an error logged as the only argument, and its causes", () => {
    const { log, text, lines } = capture();
    const cause = new Error(`clone of https://x-access-token:${INSTALLATION_TOKEN}@github.com/acme/infra.git refused`);
    log.error(new Error(`plan setup failed for ${WEBHOOK_SECRET}`, { cause }));
    expectNoSecrets(text());
    const line = lines()[0] as { err: { message: string; stack: string }; msg: string };
    expect(line.err.message).toContain("plan setup failed for ***");
    expect(line.err.message).toContain("x-access-token:***@github.com");
    expect(line.err.stack).not.toContain("ghs_16C7");
  });

  it("censors fields named like credentials whatever their value, at several depths", () => {
    const { log, lines } = capture([]);
    log.info(
      {
        token: "opaque-value-1",
        auth: { password: "opaque-value-2", privateKey: "opaque-value-3" },
        config: { github: { webhookSecret: "opaque-value-4" } },
        api: { request: { headers: { authorization: "opaque-value-5", accept: "application/json" } } },
        err: { request: { headers: { Authorization: "opaque-value-6" } } },
      },
      "configuration",
    );
    expect(lines()[0]).toMatchObject({
      token: "***",
      auth: { password: "***", privateKey: "***" },
      config: { github: { webhookSecret: "***" } },
      api: { request: { headers: { authorization: "***", accept: "application/json" } } },
      err: { request: { headers: { Authorization: "***" } } },
    });
  });

  it("masks a private key it was not told about (read from a file), Authorization values and JWTs", () => {
    const { log, text, lines } = capture([]);
    const basic = Buffer.from(`x-access-token:${INSTALLATION_TOKEN}`).toString("base64");
    const jwt = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiIxMjM0NSIsImV4cCI6MTcwMDAwMDAwMH0.c2lnbmF0dXJlLXNpZ25hdHVyZQ";
    log.warn({ stderr: `error: could not read key\n${PEM}`, header: `Authorization: Basic ${basic}` }, `sent bearer ${jwt}`);
    expectNoSecrets(text(), [basic, jwt]);
    expect(lines()[0]).toMatchObject({ stderr: "error: could not read key\n***\n", header: "Authorization: Basic ***", msg: "sent bearer ***" });
  });

  it("handles secrets with JSON-escaped characters, cycles, and leaves the logged objects unchanged", () => {
    const quoted = 'pa"ss\\word-with-quotes';
    const { log, text } = capture([quoted]);
    const fields: Record<string, unknown> = { note: `value ${quoted}`, when: new Date(0) };
    fields["self"] = fields;
    const err = new Error(`boom ${quoted}`);
    log.info({ fields, err }, "cyclic");
    expect(text()).not.toContain(JSON.stringify(quoted).slice(1, -1));
    expect(text()).toContain("[Circular]");
    expect(text()).toContain("1970-01-01T00:00:00.000Z");
    expect(fields["note"]).toBe(`value ${quoted}`);
    expect(err.message).toBe(`boom ${quoted}`);
  });

  it("keeps ordinary log lines as they are", () => {
    const { log, lines } = capture();
    log.info({ pr: 42, projects: ["kirare", "ortensia"], durationMs: 1234 }, "plan finished");
    expect(lines()[0]).toMatchObject({ pr: 42, projects: ["kirare", "ortensia"], durationMs: 1234, msg: "plan finished", service: "tfgate" });
  });
});
