/**
 * Which resource types can be tagged, from `tofu providers schema -json`: for each managed
 * resource type, its map-typed attributes (the evaluator picks tags_all/tags/labels from them).
 *
 * A schema only changes with the provider's version, and the command is slow (it starts every
 * provider; AWS's schema is tens of MB), so answers are cached per provider address + version, in
 * memory and optionally on disk. The plan JSON has no provider versions; the dependency lock file
 * `.terraform.lock.hcl` that `init` leaves in the workdir has the exact ones. Built-in providers
 * (terraform.io/builtin/terraform) have no version and come with the binary: memory cache only.
 */
import { createHash } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { TfgateError } from "../../domain/errors.js";
import type { ProviderSchemas, SchemaRequest } from "../../app/ports/provider-schemas.js";
import { readRegularFile } from "../runner/read-regular-file.js";
import type { TerraformBinaryName } from "../../domain/projects/repo-config.js";
import type { TofuRunner } from "../runner/tofu-runner.js";

export interface ProviderSchemasOptions {
  /** Starts tofu in the sandbox, like every other step. */
  readonly runner: TofuRunner;
  /** The runner of a workdir initialised by `tofu` or `terraform` by name (default: `runner`). */
  readonly runnerFor?: (binary: TerraformBinaryName) => TofuRunner;
  /** Keep schemas here across restarts; memory only when absent. */
  readonly cacheDir?: string;
  readonly timeoutMs?: number;
}


/** Managed resource type → its map-typed attribute names, in schema order. */
type ProviderTypes = Readonly<Record<string, readonly string[]>>;

const BUILTIN = "terraform.io/builtin/";

/** Provider address → exact version, from `.terraform.lock.hcl` (format written by init). */
export function parseLockFile(text: string): Map<string, string> {
  const versions = new Map<string, string>();
  for (const m of text.matchAll(/^provider\s+"([^"]+)"\s*\{[^}]*?^\s*version\s*=\s*"([^"]+)"/gms)) {
    versions.set(m[1] as string, m[2] as string);
  }
  return versions;
}

/** Extracts map-typed attributes per resource type from `providers schema -json` output. */
export function mapAttributesBySchema(schemaJson: unknown): Map<string, ProviderTypes> {
  const out = new Map<string, ProviderTypes>();
  const providers = (schemaJson as { provider_schemas?: Record<string, unknown> } | null)?.provider_schemas ?? {};
  for (const [address, schema] of Object.entries(providers)) {
    const resources = (schema as { resource_schemas?: Record<string, unknown> } | null)?.resource_schemas ?? {};
    const types: Record<string, string[]> = {};
    for (const [type, resource] of Object.entries(resources)) {
      const attributes = (resource as { block?: { attributes?: Record<string, { type?: unknown }> } } | null)?.block?.attributes ?? {};
      types[type] = Object.entries(attributes)
        .filter(([, a]) => Array.isArray(a?.type) && a.type[0] === "map")
        .map(([name]) => name);
    }
    out.set(address, types);
  }
  return out;
}

function managedProviders(planJson: unknown): Set<string> {
  const changes = (planJson as { resource_changes?: unknown } | null)?.resource_changes;
  const providers = new Set<string>();
  if (!Array.isArray(changes)) return providers;
  for (const rc of changes as { mode?: unknown; provider_name?: unknown }[]) {
    if (rc?.mode === "managed" && typeof rc.provider_name === "string") providers.add(rc.provider_name);
  }
  return providers;
}

function isProviderTypes(v: unknown): v is ProviderTypes {
  return typeof v === "object" && v !== null && !Array.isArray(v) &&
    Object.values(v).every((a) => Array.isArray(a) && a.every((s) => typeof s === "string"));
}

export function createProviderSchemas(options: ProviderSchemasOptions): ProviderSchemas {
  const timeoutMs = options.timeoutMs ?? 5 * 60_000;
  const memory = new Map<string, ProviderTypes>();
  // Concurrent jobs that miss the same provider wait for one `providers schema` run.
  const inflight = new Map<string, Promise<ProviderTypes | undefined>>();

  const diskPath = (key: string) => {
    const readable = key.replace(/[^A-Za-z0-9._@-]/g, "_");
    return join(options.cacheDir as string, `${readable}-${createHash("sha256").update(key).digest("hex").slice(0, 12)}.json`);
  };

  async function readDisk(key: string): Promise<ProviderTypes | undefined> {
    if (!options.cacheDir || key.startsWith(BUILTIN)) return undefined;
    try {
      const entry = JSON.parse(await readFile(diskPath(key), "utf8")) as { key?: unknown; types?: unknown };
      // A damaged or foreign file is a cache miss, not an error.
      return entry.key === key && isProviderTypes(entry.types) ? entry.types : undefined;
    } catch {
      return undefined;
    }
  }

  async function writeDisk(key: string, types: ProviderTypes): Promise<void> {
    if (!options.cacheDir || key.startsWith(BUILTIN)) return;
    await mkdir(options.cacheDir, { recursive: true, mode: 0o700 });
    const path = diskPath(key);
    // Write then rename: a concurrent reader never sees half a file.
    const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    await writeFile(tmp, JSON.stringify({ key, types }), { mode: 0o600 });
    await rename(tmp, path);
  }

  async function runSchema(req: SchemaRequest): Promise<Map<string, ProviderTypes>> {
    const timeout = AbortSignal.timeout(timeoutMs);
    const { workspace } = req;
    const runner = req.binary && options.runnerFor ? options.runnerFor(req.binary) : options.runner;
    const r = await runner.run({
      args: ["providers", "schema", "-json"],
      cwd: req.workdir,
      // Reads the initialised workspace; writes nothing but its TMPDIR.
      mounts: { readWrite: [], readOnly: [workspace.dir, workspace.dataDir] },
      tmpDir: workspace.tmpDir,
      env: { TF_DATA_DIR: workspace.dataDir, ...req.credentials },
      signal: req.signal ? AbortSignal.any([req.signal, timeout]) : timeout,
      timeout,
    });
    if (!r.ok || r.exitCode !== 0) {
      const why = !r.ok ? (r.reason === "timeout" ? "timed out" : r.reason === "cancelled" ? "was cancelled" : "failed") : "failed";
      const output = r.ok ? r.all : r.output;
      throw new TfgateError("terraform-failed", `${runner.binary.split("/").pop() ?? "tofu"} providers schema -json ${why}: ${output.trim().slice(-2000)}`);
    }
    try {
      return mapAttributesBySchema(JSON.parse(r.stdout));
    } catch (err) {
      throw new TfgateError("terraform-failed", `could not parse providers schema -json output: ${(err as Error).message}`, { cause: err });
    }
  }

  return {
    async taggableLookup(req) {
      const providers = managedProviders(req.planJson);
      // The lock file is in the checkout the plan's code could write: read it without following
      // a link. Absent (only built-in providers): nothing cacheable on disk; run the command.
      const lock = await readRegularFile(join(req.workdir, ".terraform.lock.hcl"), 4 * 1024 * 1024);
      const versions = lock.ok ? parseLockFile(lock.bytes.toString("utf8")) : new Map<string, string>();
      const keyOf = (address: string) =>
        address.startsWith(BUILTIN) ? address : versions.has(address) ? `${address}@${versions.get(address)}` : undefined;

      const found = new Map<string, ProviderTypes | undefined>();
      const missing: string[] = [];
      for (const address of providers) {
        const key = keyOf(address);
        const cached = key === undefined ? undefined : (memory.get(key) ?? (await readDisk(key)));
        if (cached) {
          if (key) memory.set(key, cached);
          found.set(address, cached);
        } else missing.push(address);
      }

      if (missing.length > 0) {
        let run: Promise<Map<string, ProviderTypes>> | undefined;
        const ownRun = (address: string, key: string | undefined) =>
          (run ??= runSchema(req)).then(async (all) => {
            const types = all.get(address);
            if (types && key !== undefined) {
              memory.set(key, types);
              // The cache is an optimisation: a full disk must not fail the policy check.
              await writeDisk(key, types).catch(() => undefined);
            }
            return types;
          });
        const results = await Promise.all(
          missing.map((address) => {
            const key = keyOf(address);
            const shared = key === undefined ? undefined : inflight.get(key);
            // Another job's run may be cancelled with its job: then run it here.
            if (shared) return shared.catch(() => ownRun(address, key));
            const entry = ownRun(address, key);
            if (key !== undefined) {
              inflight.set(key, entry);
              const done = () => void (inflight.get(key) === entry && inflight.delete(key));
              entry.then(done, done);
            }
            return entry;
          }),
        );
        missing.forEach((address, i) => found.set(address, results[i]));
      }

      return (provider, type) => found.get(provider)?.[type];
    },
  };
}
