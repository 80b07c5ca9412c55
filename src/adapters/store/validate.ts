/**
 * Input checks for every store method. They run before any statement, so bad input never reaches
 * the database and nothing is half-written; each failure names the argument.
 */
import { StoreError } from "../../app/ports/store-error.js";
import { isProjectName } from "../../domain/projects/project-name.js";

function invalid(what: string, detail: string): StoreError {
  return new StoreError("invalid-input", `${what} ${detail}`);
}

// GitHub owner/name; kept a little looser than GitHub (which also forbids leading dashes) because
// the CLI and demo use their own repository keys.
const REPO = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}\/[A-Za-z0-9_.-]{1,100}$/;
// SHA-1 or SHA-256 object names, lower-case as git prints them.
const GIT_SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
const SHA256 = /^[0-9a-f]{64}$/;
const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/;
const WORD = /^[a-z][a-z0-9-]{0,63}$/;
// GitHub logins, app bots ("name[bot]") and "tfgate".
const ACTOR = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}(?:\[bot\])?$/;
const MAX_TEXT = 64 * 1024;
const MAX_JSON = 4 * 1024 * 1024;

export function checkRepo(repo: unknown, what = "repo"): string {
  if (typeof repo !== "string" || !REPO.test(repo)) throw invalid(what, `must look like "owner/name", got ${show(repo)}`);
  return repo;
}

export function checkProject(project: unknown, what = "project"): string {
  if (typeof project !== "string" || !isProjectName(project)) {
    throw invalid(what, `must be a project name (letters, digits, '.', '_', '-'), got ${show(project)}`);
  }
  return project;
}

export function checkPr(pr: unknown, what = "pr"): number {
  if (typeof pr !== "number" || !Number.isSafeInteger(pr) || pr < 1 || pr > 2 ** 31 - 1) {
    throw invalid(what, `must be a positive integer pull request number, got ${show(pr)}`);
  }
  return pr;
}

export function checkGitSha(sha: unknown, what = "headSha"): string {
  if (typeof sha !== "string" || !GIT_SHA.test(sha)) throw invalid(what, `must be a full lower-case commit SHA, got ${show(sha)}`);
  return sha;
}

export function checkSha256(sha: unknown, what = "sha256"): string {
  if (typeof sha !== "string" || !SHA256.test(sha)) throw invalid(what, `must be 64 lower-case hex digits, got ${show(sha)}`);
  return sha;
}

export function checkId(id: unknown, what = "id"): string {
  if (typeof id !== "string" || !ID.test(id)) throw invalid(what, `must be 1–200 letters, digits, '.', '_', ':' or '-', got ${show(id)}`);
  return id;
}

export function checkWord(word: unknown, what: string): string {
  if (typeof word !== "string" || !WORD.test(word)) throw invalid(what, `must be lower-case letters, digits and '-', got ${show(word)}`);
  return word;
}

export function checkActor(actor: unknown, what = "actor"): string {
  if (typeof actor !== "string" || !ACTOR.test(actor)) throw invalid(what, `must be a GitHub login, got ${show(actor)}`);
  return actor;
}

/**
 * For error messages recorded on jobs: too long is clipped, not refused, because refusing would
 * leave a finished job looking queued or running.
 */
export function clipText(text: unknown, what: string): string {
  if (typeof text !== "string") throw invalid(what, `must be a string, got ${show(text)}`);
  const note = "… (clipped by tfgate)";
  return text.length > MAX_TEXT ? text.slice(0, MAX_TEXT - note.length) + note : text;
}

export function checkAbsolutePath(path: unknown, what: string): string {
  if (typeof path !== "string" || !path.startsWith("/") || path.length > 4096 || path.includes("\0")) {
    throw invalid(what, `must be an absolute path, got ${show(path)}`);
  }
  return path;
}

export function checkInteger(value: unknown, what: string, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min || value > max) {
    throw invalid(what, `must be an integer from ${min} to ${max}, got ${show(value)}`);
  }
  return value;
}

/**
 * Serialises a JSON value, refusing what would not read back the same (a top-level undefined,
 * functions, symbols, bigints, cycles, non-finite numbers) instead of storing something silently
 * different. Properties whose value is undefined are dropped, as JSON does.
 */
export function toJson(value: unknown, what: string): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value, (_key, v: unknown) => {
      if (typeof v === "number" && !Number.isFinite(v)) throw new Error("non-finite number");
      if (typeof v === "function" || typeof v === "symbol") throw new Error(`a ${typeof v}`);
      return v;
    });
  } catch (err) {
    throw new StoreError("invalid-input", `${what} is not JSON-serialisable: ${(err as Error).message}`, { cause: err });
  }
  if (text === undefined) throw invalid(what, "is not JSON-serialisable (undefined)");
  if (text.length > MAX_JSON) throw invalid(what, `is larger than ${MAX_JSON} bytes of JSON`);
  return text;
}

export function checkObject(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw invalid(what, "must be an object");
  return value as Record<string, unknown>;
}

function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
  if (typeof value === "number" || typeof value === "boolean" || value === null || value === undefined) return String(value);
  return typeof value;
}
