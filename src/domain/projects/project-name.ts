/**
 * What a project may be called. A project's name ends up in commit status contexts, lock and
 * plan records, file names under the data directory, `/plan NAME` commands and Markdown; one
 * conservative character set keeps it harmless in all of them. tfgate.yaml (src/config), the
 * command parser, discovery and the store (src/adapters/store/validate.ts) all use this rule.
 *
 * A name may have several `/`-separated parts (`app1/prod`): a discovered project is named by its
 * directory below its root glob's fixed prefix, so nested layouts never collide by basename. No
 * part can be `.` or `..` (each starts with a letter or digit).
 */
export const MAX_PROJECT_NAME_LENGTH = 200;
export const PROJECT_NAME = /^(?=.{1,200}$)[A-Za-z0-9][A-Za-z0-9._-]*(?:\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/;
export const PROJECT_NAME_RULE =
  "project names are parts of letters, digits, '.', '_' and '-' joined by '/', each part starting with a letter or digit, at most 200 characters in all";

export function isProjectName(name: string): boolean {
  return PROJECT_NAME.test(name);
}

/**
 * The name as one file or directory name under the data directory: `/` becomes `%2F` (`%` is
 * never in a name, so two names never share a file), and a name without `/` is itself.
 */
export function projectFileName(name: string): string {
  return name.replaceAll("/", "%2F");
}
