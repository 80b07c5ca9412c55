import { formatConfigProblem, parseRepoConfig } from "../config/repo-config.js";
import { REPO_CONFIG_FILE, type RepoConfig } from "../domain/projects/repo-config.js";
import { detectAffected, type Detection, type DetectionProblem } from "../domain/projects/detect-affected.js";
import { removesFile } from "../domain/projects/file-change.js";
import type { RepoTree } from "../domain/projects/repo-tree.js";
import type { HclValidator } from "./ports/hcl-validator.js";
import type { RepoReader } from "./ports/repo-reader.js";

export interface DetectChangesDeps {
  readonly reader: RepoReader;
  readonly validator: HclValidator;
}

export interface Refs {
  /** The branch the change goes into; tfgate.yaml is read from here unless `config` says otherwise. */
  readonly base: string;
  readonly head: string;
  /**
   * Where tfgate.yaml is read (the server: the default branch's head or a protected base's, see
   * trustedBase); `name` is what error messages call it. The base when absent (the CLI).
   */
  readonly config?: { readonly sha: string; readonly name: string };
}

export type DetectReport =
  | {
      readonly status: "ok";
      readonly baseSha: string;
      readonly headSha: string;
      /** Where tfgate.yaml was read (the base unless `Refs.config` was given). */
      readonly configSha: string;
      /** Null when detection did not need it (nothing was deleted or renamed): one git process less. */
      readonly mergeBaseSha: string | null;
      readonly config: RepoConfig;
      readonly detection: Extract<Detection, { status: "ok" }>;
      readonly headTree: RepoTree;
    }
  | { readonly status: "error"; readonly problems: readonly DetectionProblem[] };

/** HCL files whose syntax the full parser checks when they change. */
const HCL_SYNTAX = /\.(tf|tofu|tfvars)$/;

/**
 * Which projects does the change from `base` to `head` affect? The diff runs from the merge base
 * (what a pull request shows), and the repository config comes from the base ref (or `refs.config`):
 * a change must not be able to reconfigure how it is judged.
 */
export async function detectChanges(deps: DetectChangesDeps, refs: Refs): Promise<DetectReport> {
  const { reader } = deps;
  const [baseSha, headSha, configSha] = (await reader.resolveRefs([refs.base, refs.head, refs.config?.sha ?? refs.base])) as [string, string, string];
  // Two independent lines of work, run side by side: the head tree and its module graph (the
  // bulk of the git reading, started first), and the diff with a full syntax check of the
  // changed files.
  const headTreeRead = reader.readTree(headSha, true);
  const diffAndCheck = (async () => {
    const changes = await reader.diffFromMergeBase(baseSha, headSha);
    const toCheck = changes.filter((c) => c.status !== "deleted" && !c.link && HCL_SYNTAX.test(c.path)).map((c) => c.path);
    const texts = await reader.readTexts(headSha, toCheck);
    const syntax = new Map<string, string>();
    for (const [path, text] of texts) {
      const error = await deps.validator.validate(path, text);
      if (error !== null) syntax.set(path, error);
    }
    return { changes, syntax };
  })();
  const [configTexts, headTree, { changes, syntax }] = await Promise.all([reader.readTexts(configSha, [REPO_CONFIG_FILE]), headTreeRead, diffAndCheck]);
  // The base tree only tells which projects were deleted, and a project can only disappear
  // through a deleted, renamed or type-changed path: skip listing a big tree twice otherwise.
  const removesPaths = changes.some(removesFile);
  const mergeBaseSha = removesPaths ? await reader.mergeBase(baseSha, headSha) : null;
  const baseTree = mergeBaseSha !== null ? await reader.readTree(mergeBaseSha, false) : headTree;

  const parsed = parseRepoConfig(configTexts.get(REPO_CONFIG_FILE) ?? null);
  if (!parsed.ok) {
    return {
      status: "error",
      problems: parsed.problems.map((p) => ({ code: "invalid-config", message: `${formatConfigProblem(p)} (read from ${refs.config ? refs.config.name : `the base ref ${refs.base}`})` })),
    };
  }
  const detection = detectAffected({ base: baseTree, head: headTree, changes, config: parsed.config });
  if (detection.status === "error") return detection;

  // The scanner only knows HCL's lexical structure; the full parser checked the changed files,
  // so a syntax error is reported with its file and line instead of failing later in tofu.
  // Files that affect no project do not block the change.
  const untouched = new Set(detection.untouched);
  const problems: DetectionProblem[] = [...syntax]
    .filter(([path]) => !untouched.has(path))
    .map(([, message]) => ({ code: "invalid-hcl", message }));
  if (problems.length > 0) return { status: "error", problems };

  return { status: "ok", baseSha, headSha, configSha, mergeBaseSha, config: parsed.config, detection, headTree };
}
