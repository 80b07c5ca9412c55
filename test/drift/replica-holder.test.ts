import { spawn } from "node:child_process";
import { hostname } from "node:os";
import { describe, expect, it } from "vitest";
import { holderGone, replicaHolder } from "../../src/compose/replica-holder.js";

describe("replicaHolder / holderGone: a restarted server need not wait for its dead predecessor's lease", () => {
  it("names this process; a process of this host that has exited is gone; a running one, another pid namespace's, or a strange name is not known to be", async () => {
    const me = replicaHolder();
    expect(me).toMatch(new RegExp(`:[0-9a-f]{12}:${process.pid}:[0-9a-f]{8}$`));
    expect(holderGone(me)).toBe(false);
    const space = me.split(":").at(-3) as string;

    const child = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], { stdio: "ignore" });
    const pid = child.pid as number;
    const host = me.slice(0, me.indexOf(`:${process.pid}:`));
    expect(holderGone(`${host}:${pid}:0123abcd`)).toBe(false);
    expect(host.endsWith(`:${space}`)).toBe(true);
    await new Promise((r) => {
      child.on("exit", r);
      child.kill("SIGKILL");
    });
    expect(holderGone(`${host}:${pid}:0123abcd`)).toBe(true);
    // Same hostname, another pid namespace or boot (a container with the host's name): not judged.
    expect(holderGone(`${hostname()}:0123456789ab:${pid}:0123abcd`)).toBe(false);
    expect(holderGone("replica-a")).toBe(false);
  });
});
