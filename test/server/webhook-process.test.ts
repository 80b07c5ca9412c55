import { describe, expect, it } from "vitest";
import { useHarness } from "./use-harness.js";
import { webhookPid } from "./webhook-child.js";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const PING = { zen: "Keep it logically awesome.", hook_id: 1 };

describe("the webhook process", () => {
  const h = useHarness();

  it("answers webhooks apart from the server, is replaced on the same port when it dies, and ends with the server", async () => {
    const server = h.pid as number;
    const first = webhookPid(server);
    expect(first).not.toBeNull();
    expect((await h.deliver("ping", PING, "wp-1")).status).toBe(202);

    process.kill(first as number, "SIGKILL");
    const second = await h.waitFor("a new webhook process", () => {
      const pid = webhookPid(server);
      return pid !== null && pid !== first ? pid : false;
    });
    let answered = 0;
    for (let i = 0; i < 100 && answered !== 202; i++) {
      answered = await h.deliver("ping", PING, `wp-again-${i}`).then((r) => r.status, () => 0);
      if (answered !== 202) await new Promise((r) => setTimeout(r, 100));
    }
    expect(answered).toBe(202);
    expect(h.logs.join("\n")).toContain("webhook process exited");
    // A delivery the server recorded durably is still a duplicate for the new process.
    expect((await h.deliver("ping", PING, "wp-1")).status).toBe(200);

    await h.stop("SIGKILL");
    await h.waitFor("the webhook process to end with the server", () => !alive(second));
    await h.start();
  });
});
