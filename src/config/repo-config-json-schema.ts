/**
 * The JSON Schema of `tfgate.yaml`, generated from the zod schema so editors (yaml-language-server,
 * IntelliJ) complete keys, show descriptions and flag typos while the file is written, long before
 * tfgate reads it from the default branch (or a protected base). `schema/tfgate.schema.json` is this function's output;
 * `npm run schema` rewrites it and a test fails when it is stale.
 */
import { z } from "zod";
import { REPO_CONFIG_FILE } from "../domain/projects/repo-config.js";
import { repoConfigSchema } from "./repo-config.js";

/** Where the generated schema is committed, relative to the repository root. */
export const REPO_CONFIG_JSON_SCHEMA_FILE = "schema/tfgate.schema.json";

/**
 * A URN rather than a URL: the schema is not published anywhere yet, and an `$id` that looks
 * fetchable but is not would mislead tools that resolve it.
 */
export const REPO_CONFIG_JSON_SCHEMA_ID = "urn:tfgate:schema:tfgate.yaml:v1";

/**
 * The input side of the zod schema: keys with defaults are optional, as they are for the person
 * writing the file; strict objects become `additionalProperties: false`. What JSON Schema cannot
 * say (unique project names and directories) is still checked only by tfgate itself.
 */
export function repoConfigJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(repoConfigSchema, { target: "draft-2020-12", io: "input", unrepresentable: "throw" });
  const { $schema, ...rest } = generated;
  // Key order matters only to readers of the committed file: identification first.
  return {
    $schema,
    $id: REPO_CONFIG_JSON_SCHEMA_ID,
    title: REPO_CONFIG_FILE,
    description: "tfgate's repository configuration, at the repository root, read from the head of the default branch (or of the pull request's base when the server lists it as protected), never from the pull request.",
    ...rest,
  };
}

/** The committed file's exact text: two-space indentation and a trailing newline. */
export function formatRepoConfigJsonSchema(): string {
  return `${JSON.stringify(repoConfigJsonSchema(), null, 2)}\n`;
}
