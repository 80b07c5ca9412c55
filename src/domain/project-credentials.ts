/** Which step a project's credentials are for: plans never see the apply credentials. */
export type CredentialStage = "plan" | "apply";

/** A project's credentials for one stage, from the server's credentials file (never the repository). */
export type CredentialsResult = { readonly ok: true; readonly env: Readonly<Record<string, string>> } | { readonly ok: false; readonly message: string };

/** Looks up the variables a project's sandbox gets for a stage; `repo` is `owner/name` when known. */
export type ProjectCredentials = (project: string, stage: CredentialStage, repo?: string) => CredentialsResult;

/** No credentials file: every project gets no variables of its own. */
export const noCredentials: ProjectCredentials = () => ({ ok: true, env: {} });
