/**
 * The server's pino logger. Nothing is meant to log a secret; this is the defence in depth for
 * when something does anyway (an error quoting a URL or request headers, a debug field):
 * - every string of every log call (message, fields at any depth, error messages and stacks)
 *   goes through the secret scrubber (the server's own secrets) and the credential patterns
 *   (GitHub tokens, URL credentials, Authorization values, private keys, JWTs);
 * - fields named like credentials are censored whatever their value, by pino's redaction.
 */
import { pino, type DestinationStream, type Logger as PinoLogger } from "pino";
import { createSecretScrubber } from "../../domain/render/secret-scrubber.js";
import { scrubDeep } from "./scrub-deep.js";

export interface CreateLoggerOptions {
  /** Where JSON lines go; standard output when absent. */
  readonly destination?: DestinationStream;
  /** Values that must never appear in a log line (secretsOf(config)). */
  readonly secrets: readonly string[];
  readonly level?: string;
}

export const REDACTED = "***";

const CREDENTIAL_KEYS = ["token", "privateKey", "private_key", "webhookSecret", "password", "authorization", "Authorization", "cookie"];

/**
 * pino's `*` stands for exactly one level, so each key is listed at the depths tfgate's fields
 * reach (`{ api: { request: { headers: … } } }` is four levels down).
 */
export function redactPaths(): string[] {
  const paths: string[] = [];
  for (const key of CREDENTIAL_KEYS) {
    for (const prefix of ["", "*.", "*.*.", "*.*.*."]) paths.push(`${prefix}${key}`);
  }
  return paths;
}

export function createLogger(options: CreateLoggerOptions): PinoLogger {
  // Known values first, then credential shapes (the scrubber does both, in that order, so a secret
  // that happens to look like a token is replaced whole).
  const scrub = createSecretScrubber(options.secrets);
  return pino(
    {
      level: options.level ?? "info",
      base: { service: "tfgate" },
      redact: { paths: redactPaths(), censor: REDACTED },
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((arg) => scrubDeep(arg, scrub)) as Parameters<typeof method>;
          method.apply(this, scrubbed);
        },
      },
    },
    // Absent: pino's own default (standard output), exactly as before this factory existed.
    options.destination,
  );
}
