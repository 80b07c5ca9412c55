/**
 * What a project may be called. A project's name ends up in commit status contexts, lock and
 * plan records, file names under the data directory, `/plan NAME` commands and Markdown; one
 * conservative character set keeps it harmless in all of them. tfgate.yaml (src/config), the
 * command parser, discovery and the store (src/adapters/store/validate.ts) all use this rule.
 */
export const MAX_PROJECT_NAME_LENGTH = 200;
export const PROJECT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;
export const PROJECT_NAME_RULE = "project names use letters, digits, '.', '_' and '-', start with a letter or digit and have at most 200 characters";

export function isProjectName(name: string): boolean {
  return PROJECT_NAME.test(name);
}
