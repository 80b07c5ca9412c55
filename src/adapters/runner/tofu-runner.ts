/**
 * The one way tfgate starts tofu (init, plan, show, apply, providers schema): inside the sandbox,
 * with an environment built from an allow-list, never from tfgate's own environment (which holds
 * the webhook secret, the App key and whatever the operator exported).
 */
import { spawn } from "node:child_process";
import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import type { Readable } from "node:stream";
import type { Mounts, Sandbox } from "./sandbox.js";

export interface TofuRunnerOptions {
  /** Absolute path of `tofu` or `terraform` (see resolveBinary). */
  readonly binary: string;
  readonly sandbox: Sandbox;
  /**
   * Variables every step gets: TF_CLI_CONFIG_FILE, GOMAXPROCS, TF_* switches tfgate sets, the
   * credentials file's `pass_env` names. Never tfgate's whole environment.
   */
  readonly env: Readonly<Record<string, string>>;
  /**
   * Start from tfgate's environment instead (the CLI without a sandbox: a person's own shell
   * credentials are theirs to use). The server never does this.
   */
  readonly inheritEnv?: Readonly<Record<string, string | undefined>>;
  /** PATH inside the step (the host's PATH value; only system directories are visible). */
  readonly path: string;
  /** Paths every step may read: the binary, the CLI config, the provider mirror. */
  readonly toolchain: readonly string[];
  /** CPU niceness of the step and every process it starts; 0 leaves it unchanged. */
  readonly niceness: number;
  /** Time between SIGINT (tofu releases its state lock) and SIGKILL. */
  readonly killGraceMs: number;
  /** util-linux `setpriv`, to tie an unsandboxed tofu's life to tfgate's; null when absent. */
  readonly setpriv: string | null;
  /** false: the sandbox has no network (a tool that needs none, e.g. conftest). Default true. */
  readonly network?: boolean;
}

export interface StepRequest {
  /**
   * What runs, when not the tofu binary: `/bin/sh` for a workflow's `run:` step. Its PATH then
   * starts with the binary's directory, so the command can call `tofu` (or `terraform`) by name.
   */
  readonly program?: string;
  readonly args: readonly string[];
  readonly cwd: string;
  /** What this step may see besides the toolchain; its TMPDIR is always read-write. */
  readonly mounts: Mounts;
  /** The job's private temporary directory: TMPDIR, and HOME under it. */
  readonly tmpDir: string;
  /** Step-specific variables: TF_DATA_DIR and the project's credentials for this stage. */
  readonly env: Readonly<Record<string, string>>;
  readonly signal: AbortSignal;
  /** Which abort is a timeout (the result then says so). */
  readonly timeout: AbortSignal;
  /** Lines of output as they come (for live logs); absent for machine-readable output. */
  readonly onOutput?: (line: string) => void;
}

export type StepResult =
  | { readonly ok: true; readonly stdout: string; readonly all: string; readonly exitCode: number }
  | { readonly ok: false; readonly reason: "failed" | "timeout" | "cancelled"; readonly output: string; readonly exitCode: number | undefined };

export interface TofuRunner {
  readonly binary: string;
  readonly sandbox: Sandbox["kind"];
  run(request: StepRequest): Promise<StepResult>;
}

export function createTofuRunner(options: TofuRunnerOptions): TofuRunner {
  const name = options.binary.split("/").pop() ?? "tofu";
  return {
    binary: options.binary,
    sandbox: options.sandbox.kind,
    async run(req) {
      const home = `${req.tmpDir}/home`;
      // A read-write directory that does not exist yet (TF_DATA_DIR before the first init) is
      // made here: unmounted, the step's writes would go to the sandbox's throwaway root.
      await Promise.all([home, ...req.mounts.readWrite].map((dir) => mkdir(dir, { recursive: true, mode: 0o700 })));
      const base = options.inheritEnv ? definedOnly(options.inheritEnv) : { PATH: options.path, HOME: home };
      const env: Record<string, string> = { ...base, ...options.env, TMPDIR: req.tmpDir, ...req.env };
      if (req.program !== undefined) env["PATH"] = `${dirname(options.binary)}:${env["PATH"] ?? options.path}`;
      const mounts: Mounts = {
        readWrite: [...req.mounts.readWrite, req.tmpDir],
        readOnly: [...req.mounts.readOnly, ...options.toolchain],
      };
      const bwrap = options.sandbox.kind === "bwrap";
      // bwrap does not pass signals on; with --as-pid-1 tofu is the namespace's init and a
      // SIGINT sent to it (host pid from --info-fd) lets it release its state lock and stop.
      const program = req.program ?? options.binary;
      const flags = ["--info-fd", "3", "--as-pid-1", ...(options.network === false ? ["--unshare-net"] : [])];
      const wrapped = options.sandbox.wrap(program, req.args, req.cwd, mounts, flags);
      let command = wrapped.command;
      let args = [...wrapped.args];
      if (!bwrap && options.setpriv && !options.inheritEnv) {
        // No PID namespace to end with tfgate: the kernel kills tofu when tfgate dies.
        args = ["--pdeathsig", "KILL", "--", command, ...args];
        command = options.setpriv;
      }
      if (options.niceness > 0) {
        args = ["-n", String(options.niceness), command, ...args];
        command = "nice";
      }
      req.onOutput?.(`$ ${req.program === undefined ? name : req.program} ${req.args.join(" ")}`);
      return spawnStep(command, args, { cwd: bwrap ? "/" : req.cwd, env, infoFd: bwrap, killGraceMs: options.killGraceMs, signal: req.signal, timeout: req.timeout, onOutput: req.onOutput });
    },
  };
}

/** show -json of a plan with tens of thousands of resources stays well below this. */
const MAX_STDOUT_BYTES = 1024 * 1024 * 1024;
/** What diagnostics (stdout and stderr together) keep; the rest is dropped. */
const MAX_DIAGNOSTIC_BYTES = 32 * 1024 * 1024;

function definedOnly(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}

interface SpawnOptions {
  readonly cwd: string;
  readonly env: Record<string, string>;
  readonly infoFd: boolean;
  readonly killGraceMs: number;
  readonly signal: AbortSignal;
  readonly timeout: AbortSignal;
  readonly onOutput?: (line: string) => void;
}

function spawnStep(command: string, args: readonly string[], o: SpawnOptions): Promise<StepResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: o.cwd, env: o.env, stdio: ["ignore", "pipe", "pipe", o.infoFd ? "pipe" : "ignore"] });
    const stdout: Buffer[] = [];
    const all: Buffer[] = [];
    let innerPid: number | null = null;
    let cancelled = false;
    let killTimer: NodeJS.Timeout | undefined;
    let rest = "";
    let stdoutBytes = 0;
    let allBytes = 0;
    let overflow = false;
    const onChunk = (chunk: Buffer, isStdout: boolean) => {
      // Bounded: a step's code could print without end. Diagnostics keep their first part;
      // machine-readable output (stdout) over its limit fails the step.
      if (isStdout) {
        stdoutBytes += chunk.length;
        if (stdoutBytes > MAX_STDOUT_BYTES) {
          if (!overflow) {
            overflow = true;
            cancel();
          }
        } else stdout.push(chunk);
      }
      if (allBytes < MAX_DIAGNOSTIC_BYTES) all.push(chunk);
      allBytes += chunk.length;
      if (!o.onOutput) return;
      // Chunks end anywhere: keep the unfinished line until its end arrives.
      const lines = (rest + chunk.toString("utf8")).split("\n");
      rest = lines.pop() ?? "";
      for (const line of lines) o.onOutput(line);
    };
    child.stdout?.on("data", (c: Buffer) => onChunk(c, true));
    child.stderr?.on("data", (c: Buffer) => onChunk(c, false));
    const info = child.stdio[3] as Readable | null | undefined;
    if (info) {
      let text = "";
      info.on("data", (c: Buffer) => {
        text += c.toString("utf8");
        const m = /"child-pid"\s*:\s*(\d+)/.exec(text);
        if (m && innerPid === null) {
          innerPid = Number(m[1]);
          if (cancelled) signalInner("SIGINT");
        }
      });
      info.on("error", () => undefined);
    }
    const signalInner = (sig: NodeJS.Signals) => {
      try {
        if (innerPid !== null) process.kill(innerPid, sig);
        else if (!o.infoFd) child.kill(sig);
      } catch {
        // Already gone.
      }
    };
    const cancel = () => {
      if (cancelled) return;
      cancelled = true;
      signalInner("SIGINT");
      killTimer = setTimeout(() => {
        signalInner("SIGKILL");
        child.kill("SIGKILL");
      }, o.killGraceMs);
    };
    if (o.signal.aborted) cancel();
    else o.signal.addEventListener("abort", cancel, { once: true });
    let startError: Error | null = null;
    child.on("error", (err) => (startError = err));
    child.on("close", (code) => {
      clearTimeout(killTimer);
      o.signal.removeEventListener("abort", cancel);
      if (rest && o.onOutput) o.onOutput(rest);
      // Without the final newline, as output is usually read (the plan text is compared with it).
      const allText = stripFinalNewline(Buffer.concat(all).toString("utf8"));
      if (overflow) {
        resolve({ ok: false, reason: "failed", output: `${allText}\ntfgate: the step printed more than ${MAX_STDOUT_BYTES} bytes and was stopped`, exitCode: code ?? undefined });
      } else if (cancelled) {
        resolve({ ok: false, reason: o.timeout.aborted ? "timeout" : "cancelled", output: allText, exitCode: code ?? undefined });
      } else if (startError) {
        resolve({ ok: false, reason: "failed", output: `could not run ${command}: ${(startError as Error).message}\n${allText}`, exitCode: undefined });
      } else {
        resolve({ ok: true, stdout: stripFinalNewline(Buffer.concat(stdout).toString("utf8")), all: allText, exitCode: code ?? 1 });
      }
    });
  });
}

function stripFinalNewline(text: string): string {
  return text.endsWith("\r\n") ? text.slice(0, -2) : text.endsWith("\n") ? text.slice(0, -1) : text;
}
