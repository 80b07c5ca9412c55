// Writes schema/tfgate.schema.json from the built zod schema (`npm run schema` builds first).
// It reads dist/ rather than src/ so that it needs nothing beyond `npm run build`.
import { writeFile } from "node:fs/promises";
import { URL, fileURLToPath } from "node:url";
import process from "node:process";
import { REPO_CONFIG_JSON_SCHEMA_FILE, formatRepoConfigJsonSchema } from "../dist/config/repo-config-json-schema.js";

const target = fileURLToPath(new URL(`../${REPO_CONFIG_JSON_SCHEMA_FILE}`, import.meta.url));
await writeFile(target, formatRepoConfigJsonSchema());
process.stdout.write(`wrote ${REPO_CONFIG_JSON_SCHEMA_FILE}\n`);
