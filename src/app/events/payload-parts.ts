import { z } from "zod";
import type { RepoRef } from "../ports/vcs.js";

// The parts every event's payload has, as GitHub sends them.
export const repositoryPart = z.object({ name: z.string(), owner: z.object({ login: z.string() }), full_name: z.string() });
export const installationPart = z.object({ id: z.number().int() });

/** The repository a payload is about, with the installation to act on it through. */
export function repoRefOf(repository: z.infer<typeof repositoryPart>, installation: z.infer<typeof installationPart>): RepoRef {
  return { owner: repository.owner.login, name: repository.name, hostId: installation.id };
}
