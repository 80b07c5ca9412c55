import type { TaggableLookup } from "../../domain/policy/taggable-lookup.js";
import type { TerraformBinaryName } from "../../domain/projects/repo-config.js";
import type { Workspace } from "./workspaces.js";

/** Which resource types can be tagged, learned from provider schemas. */
export interface SchemaRequest {
  readonly workspace: Pick<Workspace, "dir" | "dataDir" | "tmpDir">;
  readonly workdir: string;
  readonly planJson: unknown;
  readonly credentials?: Readonly<Record<string, string>>;
  /** The binary that initialised the workdir (`providers schema` must be the same one). */
  readonly binary?: TerraformBinaryName | null;
  readonly signal?: AbortSignal;
}

export interface ProviderSchemas {
  /**
   * Call in an initialised workdir (after init/plan, before the workspace is disposed). Throws
   * TfgateError("terraform-failed") when the schemas cannot be read; the caller reports the
   * project's policy as `error`.
   */
  taggableLookup(request: SchemaRequest): Promise<TaggableLookup>;
}
