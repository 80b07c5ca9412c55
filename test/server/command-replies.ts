import type { Harness } from "./server-harness.js";

/**
 * alice's commands and tfgate's one reply to each: `command` comments and waits for the answer;
 * `reasons` reads a refusal's list of unmet requirements.
 */
export function commandReplies(h: Pick<Harness, "comments" | "comment" | "waitFor">) {
  const replies = (pr: number) => h.comments(pr).filter((c) => c.body.startsWith("@alice "));
  const reasons = (body: string) => body.split("\n").filter((l) => l.startsWith("- ")).map((l) => l.slice(2));
  async function command(pr: number, body: string): Promise<string> {
    const before = replies(pr).length;
    await h.comment(pr, "alice", body);
    return (await h.waitFor(`an answer to ${body}`, () => replies(pr)[before])).body;
  }
  return { replies, reasons, command };
}
