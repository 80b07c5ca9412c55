/**
 * The server-side credentials file (`TFGATE_CREDENTIALS_FILE`, `tfgate plan --credentials`): which
 * variables each project's sandbox gets, separately for plan and apply. Never read from a
 * repository. Errors name the file, the line and the key, like tfgate.yaml's.
 */
import { z } from "zod";
import { LineCounter, parseDocument } from "yaml";
import { schemaProblems, yamlSyntaxProblems, type YamlProblem } from "./yaml-location.js";

/** Variables tfgate sets itself for every step; a credential may not replace them. */
export const RESERVED_VARIABLES = ["PATH", "HOME", "TMPDIR", "TF_DATA_DIR", "TF_CLI_CONFIG_FILE", "TF_IN_AUTOMATION", "TF_INPUT", "TF_DISABLE_PLUGIN_TLS", "CHECKPOINT_DISABLE", "GOMAXPROCS"];

const variableName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "a variable name uses letters, digits and '_', and does not start with a digit")
  .refine((n) => !RESERVED_VARIABLES.includes(n), "tfgate sets this variable itself");

const source = z.union(
  [
    z.strictObject({ value: z.string() }),
    z.strictObject({ from_env: variableName.describe("read from tfgate's own environment") }),
    z.strictObject({ from_file: z.string().min(1).refine((p) => p.startsWith("/"), "must be an absolute path").describe("read from this file on the server") }),
  ],
  { error: "exactly one of { value: ... }, { from_env: NAME } or { from_file: /path }" },
);

const stage = z.strictObject({ env: z.record(variableName, source).default({}) });

const credentialsFileSchema = z.strictObject({
  version: z.literal(1, { error: "must be 1" }),
  pass_env: z.array(variableName).default([]),
  credentials: z
    .array(
      z.strictObject({
        projects: z.array(z.string().min(1)).min(1, "name at least one project (globs such as \"net-*\" allowed)"),
        // An installation may serve several repositories with projects of the same names.
        repos: z.array(z.string().regex(/^[^/\s]+\/[^/\s]+$/, "owner/name (globs allowed)")).min(1).optional(),
        plan: stage.optional(),
        apply: stage.optional(),
      }),
    )
    .default([]),
});

export type CredentialsFile = z.infer<typeof credentialsFileSchema>;
export type CredentialSource = z.infer<typeof source>;

export type CredentialsFileResult = { readonly ok: true; readonly file: CredentialsFile } | { readonly ok: false; readonly problems: readonly YamlProblem[] };

export function parseCredentialsFile(text: string, file: string): CredentialsFileResult {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false });
  if (doc.errors.length > 0) return { ok: false, problems: yamlSyntaxProblems(doc, counter, file) };
  const parsed = credentialsFileSchema.safeParse(doc.toJS() ?? {});
  if (!parsed.success) return { ok: false, problems: schemaProblems(parsed.error.issues, doc, counter, file) };
  return { ok: true, file: parsed.data };
}

export const NO_CREDENTIALS: CredentialsFile = { version: 1, pass_env: [], credentials: [] };
