/**
 * The sandbox every tofu process runs in. Plans execute the pull request's code (external data
 * sources, `file()`, providers), so the process must not reach anything of tfgate's: its
 * environment, its data directory (database, other jobs, plan files, other projects' state), the
 * App key, other processes. Isolation is the defence; scrubbing output is only a second line.
 *
 * `bwrap` builds a new mount namespace from nothing: system directories read-only, a few files
 * of /etc a network client needs, and exactly the paths a step names. Everything else of the host
 * simply does not exist inside. New PID, IPC, UTS, cgroup and user namespaces; the network is
 * shared (providers must reach cloud APIs). `--die-with-parent` plus the PID namespace mean no
 * process of the step outlives it, nor tfgate.
 */
import { existsSync, lstatSync, readlinkSync } from "node:fs";

export type SandboxKind = "bwrap" | "none";

/** What one step may see, beyond the system directories. Paths are absolute and the same inside. */
export interface Mounts {
  readonly readWrite: readonly string[];
  readonly readOnly: readonly string[];
}

export interface SandboxCommand {
  readonly command: string;
  readonly args: readonly string[];
}

export interface Sandbox {
  readonly kind: SandboxKind;
  /** The command that runs `command args` in `cwd` with only `mounts` visible; `flags` go to bwrap. */
  wrap(command: string, args: readonly string[], cwd: string, mounts: Mounts, flags?: readonly string[]): SandboxCommand;
}

/** System directories: programs and libraries, nothing of the host's data. */
const SYSTEM_DIRS = ["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"];

/**
 * What of /etc a network client and Go's standard library read: name resolution, CA certificates,
 * user names, time zones. Not /etc as a whole: operators keep credentials there (the credentials
 * file's `from_file` sources, an App key).
 */
const ETC_ENTRIES = [
  "/etc/resolv.conf",
  "/etc/hosts",
  "/etc/nsswitch.conf",
  "/etc/host.conf",
  "/etc/gai.conf",
  "/etc/services",
  "/etc/protocols",
  "/etc/passwd",
  "/etc/group",
  "/etc/localtime",
  "/etc/ssl",
  "/etc/ca-certificates",
  "/etc/ca-certificates.conf",
  "/etc/pki",
  "/etc/alternatives",
];

/** bwrap's arguments for one step (exported for tests). */
export function bwrapArgs(cwd: string, mounts: Mounts, flags: readonly string[] = []): string[] {
  const args = [
    "--die-with-parent",
    // A new session: the step cannot push input into tfgate's terminal (TIOCSTI).
    "--new-session",
    "--unshare-all",
    "--share-net",
    "--cap-drop",
    "ALL",
  ];
  for (const dir of SYSTEM_DIRS) {
    let link: string | null = null;
    try {
      if (lstatSync(dir).isSymbolicLink()) link = readlinkSync(dir);
    } catch {
      continue; // not on this system
    }
    // Merged /usr: /bin is a link to usr/bin; the same link inside keeps absolute paths working.
    if (link !== null) args.push("--symlink", link, dir);
    else args.push("--ro-bind", dir, dir);
  }
  for (const entry of ETC_ENTRIES) args.push("--ro-bind-try", entry, entry);
  args.push("--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--tmpfs", "/var/tmp", "--tmpfs", "/run");
  // Later mounts go on top of earlier ones: read-only paths (the toolchain) may lie inside a
  // read-write one only by accident, and then stay read-only.
  for (const path of mounts.readWrite) args.push("--bind", path, path);
  for (const path of mounts.readOnly) args.push("--ro-bind", path, path);
  args.push("--chdir", cwd, ...flags, "--");
  return args;
}

export function createSandbox(kind: SandboxKind, bwrap = "bwrap"): Sandbox {
  if (kind === "none") return { kind, wrap: (command, args) => ({ command, args }) };
  return {
    kind,
    wrap: (command, args, cwd, mounts, flags) => ({
      command: bwrap,
      // A path that does not exist (a project's state before its first apply) is not mounted.
      args: [...bwrapArgs(cwd, { readWrite: mounts.readWrite.filter(existsSync), readOnly: mounts.readOnly.filter(existsSync) }, flags), command, ...args],
    }),
  };
}
