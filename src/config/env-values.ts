/**
 * What the settings read from the environment share (server-config.ts, engine-config.ts): empty
 * variables count as unset, flags are spelled the usual ways, and every problem names its variable.
 */
import { z } from "zod";

export type Env = Readonly<Record<string, string | undefined>>;

export const envFlag = z.enum(["true", "false", "1", "0", "yes", "no"]).transform((v) => v === "true" || v === "1" || v === "yes");

/** The set variables: empty ones count as unset, as in most deployment tools. */
export function presentVars(env: Env): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ""));
}

/** zod's issues as `NAME: message`, or `NAME is required` for a missing variable. */
export function envProblems(issues: readonly z.core.$ZodIssue[], present: Readonly<Record<string, string>>): string[] {
  return issues.map((issue) => {
    const name = String(issue.path[0] ?? "environment");
    return issue.code === "invalid_type" && present[name] === undefined ? `${name} is required` : `${name}: ${issue.message}`;
  });
}
