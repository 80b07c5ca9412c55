import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createGitHubApp } from "../../src/adapters/github/github-app.js";
import { createCommandRegistry, defaultCommands, type CommandRegistry } from "../../src/app/commands/command-registry.js";
import type { CommandArgs, CommentCommand } from "../../src/app/commands/comment-command.js";
import { helpCommand } from "../../src/app/commands/help-command.js";
import { dispatchEvent } from "../../src/app/dispatch-event.js";
import { createEventRegistry, defaultEvents } from "../../src/app/events/event-registry.js";
import type { WebhookEvent } from "../../src/app/events/webhook-event.js";
import { onComment } from "../../src/app/on-comment.js";
import type { Logger } from "../../src/app/ports/logger.js";
import type { RepoRef, Vcs } from "../../src/app/ports/vcs.js";
import type { CommandDeps, WebhookDeps } from "../../src/app/webhook-deps.js";
import { helpText } from "../../src/domain/commands/help-text.js";
import { isTfgateError } from "../../src/domain/errors.js";
import { commentAdaptation, createFakeGitHub, examplePayload, type FakeGitHub } from "../../src/simulator/index.js";

/** onComment and dispatchEvent with registries of the test's own, through the GitHub adapter against the fake GitHub. */
describe("registries drive comment commands and webhook events", () => {
  let fake: FakeGitHub;
  let vcs: Vcs;
  let repo: RepoRef;
  let pr: number;
  const calls: { name: string; author: string; args: Omit<CommandArgs, "commands"> }[] = [];
  const recording = (name: string, fields: Partial<CommentCommand> = {}): CommentCommand => ({
    name,
    usage: `/${name}`,
    help: `Answers ${name}.`,
    takesProjects: false,
    access: "writers",
    async run(_deps, event, { projects, permission }, reply) {
      calls.push({ name, author: event.author, args: { projects, permission } });
      await reply(`${name}: ok`);
    },
    ...fields,
  });
  const ping = recording("ping");
  const drift = recording("drift", { usage: "/drift [project…]", takesProjects: true, access: "writers-and-approvers" });
  const registry = createCommandRegistry([ping, drift, helpCommand]);

  beforeAll(async () => {
    fake = await createFakeGitHub();
    fake.state.addRepo({ owner: "acme", name: "infra", cloneUrl: "file:///nowhere" });
    fake.state.setPermission("acme", "infra", "alice", "write");
    fake.state.setPermission("acme", "infra", "rita", "read");
    pr = fake.state.addPullRequest({ owner: "acme", repo: "infra", user: "alice", headSha: "c".repeat(40), headRef: "feature" }).number;
    vcs = createGitHubApp({ appId: String(fake.appId), privateKey: fake.privateKey, baseUrl: fake.url, retryBaseSeconds: 0.01 });
    repo = await vcs.resolveRepo("acme", "infra");
  });
  afterAll(async () => {
    await fake.close();
    expect(fake.violations).toEqual([]);
  });

  // The test's commands use only the code host: nothing here plans or applies.
  const deps = () => ({ vcs }) as CommandDeps;
  const comment = async (author: string, body: string, commands?: CommandRegistry) => {
    const c = fake.state.addComment({ owner: "acme", repo: "infra", issueNumber: pr, user: author, body });
    calls.length = 0;
    const before = fake.state.comments("acme", "infra", pr).length;
    await onComment(deps(), { repo, pr, commentId: c.id, body, author, authorIsBot: false }, commands);
    const replies = fake.state.comments("acme", "infra", pr).slice(before);
    return { replies: replies.map((r) => r.body), reactions: fake.state.reactions(c.id).map((r) => r.content) };
  };

  it("runs a registered extra command, suggests it for a typo, lists it in /help; /plan is not known there", async () => {
    const { replies, reactions } = await comment("alice", "/ping\n/pnig\n/plan\n/help", registry);
    expect(calls).toEqual([{ name: "ping", author: "alice", args: { projects: [], permission: "write" } }]);
    expect(reactions).toEqual(["eyes"]);
    expect(replies).toEqual([`@alice ping: ok\n\n\`/pnig\` is not a tfgate command (did you mean \`/ping\`?).\n\n${helpText(registry.commands)}\n\n${helpText(registry.commands)}`]);
    expect(replies[0]).toContain("| `/drift [project…]` | Answers drift. |");
    expect(replies[0]).not.toContain("/plan");
  });

  it("a reader runs only commands open to approvers, and their lines of one run once with every project named", async () => {
    const allowed = await comment("rita", "/drift a\n/drift b a", registry);
    expect(calls).toEqual([{ name: "drift", author: "rita", args: { projects: ["a", "b"], permission: "read" } }]);
    expect(allowed.replies).toEqual(["@rita drift: ok"]);
    const refused = await comment("rita", "/drift a\n/ping", registry);
    expect(calls).toEqual([]);
    expect(refused.reactions).toEqual(["-1"]);
    expect(refused.replies).toEqual(["@rita tfgate commands need write access to this repository; you have `read`. Nothing was run."]);
  });

  it("without a registry given, the default one answers", async () => {
    const { replies } = await comment("alice", "/help\n/ping", undefined);
    expect(replies).toEqual([`@alice ${helpText(defaultCommands.commands)}`]);
  });

  it("a real issue_comment delivery reaches the comment commands through the event registry", async () => {
    const c = fake.state.addComment({ owner: "acme", repo: "infra", issueNumber: pr, user: "alice", body: "/help" });
    const payload = examplePayload("issue_comment", "created", commentAdaptation(fake.state, c.id));
    await dispatchEvent({ vcs, log: capture().log } as WebhookDeps, { id: "d-1", event: "issue_comment", payload });
    expect(fake.state.comments("acme", "infra", pr).at(-1)?.body).toBe(`@alice ${helpText(defaultCommands.commands)}`);
  });

  it("dispatches a registered event with its parsed payload; logs a malformed one; ignores an unregistered one", async () => {
    const handled: { zen: string; delivery: string }[] = [];
    const pingEvent: WebhookEvent<{ zen: string }> = {
      name: "ping",
      schema: z.object({ zen: z.string() }),
      async handle(_deps, parsed, delivery) {
        handled.push({ zen: parsed.zen, delivery: delivery.id });
      },
    };
    const events = createEventRegistry([pingEvent]);
    const { log, lines } = capture();
    const deps = { vcs, log } as WebhookDeps;
    await dispatchEvent(deps, { id: "d-2", event: "ping", payload: { zen: "Keep it logically awesome.", hook_id: 1 } }, events);
    await dispatchEvent(deps, { id: "d-3", event: "ping", payload: { zen: 42 } }, events);
    await dispatchEvent(deps, { id: "d-4", event: "issue_comment", payload: { action: "created" } }, events);
    expect(handled).toEqual([{ zen: "Keep it logically awesome.", delivery: "d-2" }]);
    expect(lines).toEqual([{ level: "warn", delivery: "d-3", message: "ignored a malformed ping payload" }]);
    // The default registry: same warning, named after the event.
    await dispatchEvent(deps, { id: "d-5", event: "pull_request", payload: { action: "opened" } });
    expect(lines.at(-1)).toEqual({ level: "warn", delivery: "d-5", message: "ignored a malformed pull_request payload" });
    expect(defaultEvents.events.map((e) => e.name)).toEqual(["pull_request", "pull_request_review", "issue_comment", "check_run", "check_suite"]);
  });

  it("refuses two events with one name", () => {
    const e: WebhookEvent = { name: "ping", schema: z.unknown(), handle: () => Promise.resolve() };
    let error: unknown;
    try {
      createEventRegistry([e, e]);
    } catch (err) {
      error = err;
    }
    expect(isTfgateError(error, "invalid-input")).toBe(true);
  });
});

function capture(): { log: Logger; lines: { level: string; delivery: unknown; message: string }[] } {
  const lines: { level: string; delivery: unknown; message: string }[] = [];
  const at = (level: string) => (fields: Record<string, unknown>, message: string) => lines.push({ level, delivery: fields.delivery, message });
  return { log: { info: at("info"), warn: at("warn"), error: at("error") }, lines };
}
