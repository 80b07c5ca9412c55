/**
 * Server settings from the environment (main.ts passes process.env in). Every setting, its
 * default and meaning are listed in the README; a missing or invalid one stops the server at
 * start with a message naming the variable. How tofu runs is read by engine-config.ts, as the
 * CLI reads it.
 */
import { availableParallelism } from "node:os";
import { z } from "zod";
import { parseEngineConfig, type EngineConfig } from "./engine-config.js";
import { envFlag as bool, envProblems, presentVars, type Env } from "./env-values.js";
import { parseNotifyConfig, type NotifyConfig } from "./notify-config.js";
import { parseCronSchedule } from "../domain/drift/cron-schedule.js";
import type { ApplyFloor } from "../domain/apply/project-requirements.js";
import type { ApplyRequirement } from "../domain/projects/repo-config.js";
const positiveInt = z.coerce.number().int().positive();
const url = z.string().url();

const envSchema = z.object({
  TFGATE_WEBHOOK_SECRET: z.string().min(16, "must be at least 16 characters (generate one: openssl rand -hex 32)"),
  TFGATE_APP_ID: z.string().regex(/^\d+$/, "must be the GitHub App's numeric id"),
  TFGATE_PRIVATE_KEY: z.string().optional(),
  TFGATE_PRIVATE_KEY_FILE: z.string().optional(),
  TFGATE_GITHUB_API_URL: url.default("https://api.github.com"),
  TFGATE_GIT_BASE_URL: url.default("https://github.com"),
  TFGATE_PUBLIC_URL: url.optional(),
  TFGATE_HOST: z.string().default("0.0.0.0"),
  TFGATE_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  TFGATE_DATA_DIR: z.string().default("/data"),
  TFGATE_CONCURRENCY: positiveInt.default(availableParallelism()),
  TFGATE_PLAN_TIMEOUT: positiveInt.default(1800),
  TFGATE_PLAN_DRAFTS: bool.default(false),
  TFGATE_MAX_BODY_BYTES: positiveInt.default(25 * 1024 * 1024),
  TFGATE_BODY_BUDGET_BYTES: positiveInt.optional(),
  TFGATE_RETRY_BASE_SECONDS: z.coerce.number().positive().default(1),
  TFGATE_PROGRESS_DELAY_MS: z.coerce.number().int().min(0).default(3000),
  TFGATE_PLAN_NICENESS: z.coerce.number().int().min(0).max(19).default(10),
  TFGATE_UI_USER: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/, "letters, digits, '.', '_' and '-'").default("admin"),
  TFGATE_UI_PASSWORD: z.string().min(12, "must be at least 12 characters (generate one: openssl rand -base64 24)").optional(),
  TFGATE_SHUTDOWN_GRACE_SECONDS: z.coerce.number().int().min(0).default(60),
  TFGATE_SANDBOX: z.enum(["bwrap", "none"], { error: "bwrap (the default) or none" }).default("bwrap"),
  TFGATE_RESULTS: z.enum(["checks", "statuses", "both"], { error: "checks (the default), statuses (for an App without checks: write) or both" }).default("checks"),
  TFGATE_CREDENTIALS_FILE: z.string().refine((p) => p.startsWith("/"), "must be an absolute path").optional(),
  TFGATE_APPROVER_TEAMS: z
    .string()
    .regex(/^\s*[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+\s*(,\s*[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+\s*)*$/, "a comma-separated list of org/team")
    .optional(),
  TFGATE_APPLY_FLOOR_TEAMS: z
    .string()
    .regex(/^\s*[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+\s*(,\s*[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+\s*)*$/, "a comma-separated list of org/team")
    .optional(),
  TFGATE_APPLY_FLOOR_REQUIRE: z
    .string()
    .regex(/^\s*(up_to_date_with_base|checks_passing|mergeable)\s*(,\s*(up_to_date_with_base|checks_passing|mergeable)\s*)*$/, "a comma-separated list of up_to_date_with_base, checks_passing, mergeable")
    .optional(),
  TFGATE_DRIFT: bool.default(true),
  TFGATE_DRIFT_SCHEDULE: z
    .string()
    .default("17 5 * * *")
    .superRefine((text, ctx) => {
      const parsed = parseCronSchedule(text);
      if (!parsed.ok) ctx.addIssue({ code: "custom", message: parsed.message });
    }),
  TFGATE_DRIFT_JITTER_SECONDS: z.coerce.number().int().min(0).max(3600).default(300),
  TFGATE_DRIFT_CONCURRENCY: positiveInt.optional(),
  TFGATE_PROTECTED_BASES: z
    .string()
    .regex(/^\s*[^\s,~^:?\\]+\s*(,\s*[^\s,~^:?\\]+\s*)*$/, "a comma-separated list of branch names or globs (release/*)")
    .optional(),
});

export interface ServerConfig {
  readonly webhookSecret: string;
  readonly appId: string;
  /** The private key's PEM text, or the path it is read from (main.ts reads the file). */
  readonly privateKey: { readonly pem: string } | { readonly file: string };
  readonly githubApiUrl: string;
  readonly gitBaseUrl: string;
  readonly publicUrl: string | null;
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  /** How tofu runs: binary, CLI configuration, lock timeout, plugin TLS, GOMAXPROCS, PATH. */
  readonly engine: EngineConfig;
  readonly concurrency: number;
  readonly planTimeoutMs: number;
  readonly planDrafts: boolean;
  readonly maxBodyBytes: number;
  /** Bytes of webhook bodies held at once across requests (read, not yet answered); more gets 503. */
  readonly bodyBudgetBytes: number;
  readonly retryBaseSeconds: number;
  readonly progressDelayMs: number;
  readonly planNiceness: number;
  /** org/team slugs whose approval lets /apply run; tfgate.yaml on the default branch may add more. */
  readonly approverTeams: readonly string[];
  /** What every apply needs whatever a repository's tfgate.yaml says (it can only add to it). */
  readonly applyFloor: ApplyFloor;
  /**
   * Base branches (globs) besides the default branch whose pull requests may be applied and whose
   * configuration judges them; a pull request into any other base is planned, never applied.
   */
  readonly protectedBases: readonly string[];
  /** Basic credentials for the web UI; null keeps the UI off. */
  readonly ui: { readonly user: string; readonly password: string } | null;
  /** On SIGTERM, how long running jobs may finish before tofu gets SIGINT. */
  readonly shutdownGraceMs: number;
  /** `bwrap`: every tofu process in a sandbox (default); `none`: the operator's explicit opt-out. */
  readonly sandbox: "bwrap" | "none";
  /** The server-side credentials file (per-project plan/apply variables), if any. */
  readonly credentialsFile: string | null;
  /** How results are shown: check runs (needs the App's `checks: write`), commit statuses, or both. */
  readonly results: "checks" | "statuses" | "both";
  /** The outgoing webhook (`TFGATE_NOTIFY_*`); null: no notifications. */
  readonly notify: NotifyConfig | null;
  /** Drift checks: on by default; the schedule (5-field cron, UTC) applies where tfgate.yaml sets none. */
  readonly drift: {
    readonly enabled: boolean;
    readonly schedule: string;
    /** Each due check starts up to this much later, so repositories do not all plan at once. */
    readonly jitterMs: number;
    /** Drift plans running at once, at most: the other slots stay free for pull requests. */
    readonly concurrency: number;
  };
}

export type ServerConfigResult = { readonly ok: true; readonly config: ServerConfig } | { readonly ok: false; readonly problems: readonly string[] };

/** Values that must never be posted or logged (secrets from the environment). */
export function secretsOf(config: ServerConfig): string[] {
  // The notify URL too: Slack's and many others' carry their token in the path.
  return [config.webhookSecret, "pem" in config.privateKey ? config.privateKey.pem : "", config.ui?.password ?? "", config.notify?.secret ?? "", config.notify?.url ?? ""].filter((s) => s.length >= 8);
}

export function parseServerConfig(env: Env): ServerConfigResult {
  const present = presentVars(env);
  const parsed = envSchema.safeParse(present);
  // The engine's variables are checked even when others are wrong: every problem at once.
  const engine = parseEngineConfig(env, parsed.success ? parsed.data.TFGATE_CONCURRENCY : availableParallelism());
  const notify = parseNotifyConfig(env);
  if (!parsed.success || !engine.ok || !notify.ok) {
    return {
      ok: false,
      problems: [...(parsed.success ? [] : envProblems(parsed.error.issues, present)), ...(engine.ok ? [] : engine.problems), ...(notify.ok ? [] : notify.problems)],
    };
  }
  const e = parsed.data;
  if (!e.TFGATE_PRIVATE_KEY === !e.TFGATE_PRIVATE_KEY_FILE) {
    return { ok: false, problems: ["set exactly one of TFGATE_PRIVATE_KEY (PEM text) or TFGATE_PRIVATE_KEY_FILE (a path)"] };
  }
  // Two bodies of the largest size at once by default: a burst of big deliveries still gets in.
  const bodyBudgetBytes = e.TFGATE_BODY_BUDGET_BYTES ?? 2 * e.TFGATE_MAX_BODY_BYTES;
  if (bodyBudgetBytes < e.TFGATE_MAX_BODY_BYTES) {
    return { ok: false, problems: [`TFGATE_BODY_BUDGET_BYTES: must be at least TFGATE_MAX_BODY_BYTES (${e.TFGATE_MAX_BODY_BYTES}), or no delivery of the largest size could ever be read`] };
  }
  return {
    ok: true,
    config: {
      webhookSecret: e.TFGATE_WEBHOOK_SECRET,
      appId: e.TFGATE_APP_ID,
      privateKey: e.TFGATE_PRIVATE_KEY ? { pem: e.TFGATE_PRIVATE_KEY.replace(/\\n/g, "\n") } : { file: e.TFGATE_PRIVATE_KEY_FILE as string },
      githubApiUrl: e.TFGATE_GITHUB_API_URL,
      gitBaseUrl: e.TFGATE_GIT_BASE_URL.replace(/\/+$/, ""),
      publicUrl: e.TFGATE_PUBLIC_URL?.replace(/\/+$/, "") ?? null,
      host: e.TFGATE_HOST,
      port: e.TFGATE_PORT,
      dataDir: e.TFGATE_DATA_DIR,
      engine: engine.config,
      concurrency: e.TFGATE_CONCURRENCY,
      planTimeoutMs: e.TFGATE_PLAN_TIMEOUT * 1000,
      planDrafts: e.TFGATE_PLAN_DRAFTS,
      maxBodyBytes: e.TFGATE_MAX_BODY_BYTES,
      bodyBudgetBytes,
      retryBaseSeconds: e.TFGATE_RETRY_BASE_SECONDS,
      progressDelayMs: e.TFGATE_PROGRESS_DELAY_MS,
      planNiceness: e.TFGATE_PLAN_NICENESS,
      approverTeams: commaList(e.TFGATE_APPROVER_TEAMS),
      applyFloor: { teams: commaList(e.TFGATE_APPLY_FLOOR_TEAMS), require: commaList(e.TFGATE_APPLY_FLOOR_REQUIRE) as ApplyRequirement[] },
      protectedBases: (e.TFGATE_PROTECTED_BASES ?? "").split(",").map((b) => b.trim()).filter(Boolean),
      ui: e.TFGATE_UI_PASSWORD ? { user: e.TFGATE_UI_USER, password: e.TFGATE_UI_PASSWORD } : null,
      shutdownGraceMs: e.TFGATE_SHUTDOWN_GRACE_SECONDS * 1000,
      sandbox: e.TFGATE_SANDBOX,
      credentialsFile: e.TFGATE_CREDENTIALS_FILE ?? null,
      results: e.TFGATE_RESULTS,
      notify: notify.config,
      drift: {
        enabled: e.TFGATE_DRIFT,
        schedule: e.TFGATE_DRIFT_SCHEDULE.trim(),
        jitterMs: e.TFGATE_DRIFT_JITTER_SECONDS * 1000,
        // Half the slots by default (at least one): a schedule never takes them all.
        concurrency: Math.min(e.TFGATE_DRIFT_CONCURRENCY ?? Math.max(1, Math.floor(e.TFGATE_CONCURRENCY / 2)), e.TFGATE_CONCURRENCY),
      },
    },
  };
}

function commaList(value: string | undefined): string[] {
  return (value ?? "").split(",").map((t) => t.trim()).filter(Boolean);
}
