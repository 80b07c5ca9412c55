import { FakeGitHubError } from "./fake-github-error.js";
import type { CheckRunConclusion, CheckRunStatus, FakeAnnotation, FakeCheckRun } from "./fake-github-model.js";

export interface AddCheckRunOptions {
  readonly owner: string;
  readonly repo: string;
  readonly headSha: string;
  readonly name: string;
  /** The creating app; another app's id makes a foreign check run. */
  readonly appId: number;
  readonly status?: CheckRunStatus;
  readonly conclusion?: CheckRunConclusion | null;
  readonly title?: string | null;
  readonly summary?: string | null;
  readonly text?: string | null;
  readonly detailsUrl?: string | null;
  readonly externalId?: string | null;
  readonly annotations?: readonly FakeAnnotation[];
}

export type CheckRunPatch = Partial<Pick<FakeCheckRun, "name" | "status" | "conclusion" | "title" | "summary" | "text" | "detailsUrl" | "externalId">> & {
  readonly annotations?: readonly FakeAnnotation[];
};

const repoKey = (owner: string, repo: string) => `${owner}/${repo}`.toLowerCase();

/** Check runs and the suites GitHub groups them in (one per app and commit). */
export function createCheckRunState(deps: { readonly nextId: () => number; readonly now: () => Date; readonly requireRepo: (owner: string, repo: string) => unknown }) {
  const runs = new Map<number, FakeCheckRun>();
  const suites = new Map<string, number>();
  const suiteOf = (owner: string, repo: string, sha: string, appId: number): number => {
    const key = `${repoKey(owner, repo)}@${sha}#${appId}`;
    let id = suites.get(key);
    if (id === undefined) {
      id = deps.nextId();
      suites.set(key, id);
    }
    return id;
  };
  const complete = (run: FakeCheckRun) => {
    // As on GitHub, a conclusion completes the run.
    if (run.conclusion !== null) run.status = "completed";
    run.completedAt = run.status === "completed" ? (run.completedAt ?? deps.now()) : null;
  };

  return {
    addCheckRun(o: AddCheckRunOptions): FakeCheckRun {
      deps.requireRepo(o.owner, o.repo);
      const run: FakeCheckRun = {
        id: deps.nextId(),
        owner: o.owner,
        repo: o.repo,
        headSha: o.headSha,
        appId: o.appId,
        checkSuiteId: suiteOf(o.owner, o.repo, o.headSha, o.appId),
        name: o.name,
        status: o.status ?? "queued",
        conclusion: o.conclusion ?? null,
        title: o.title ?? null,
        summary: o.summary ?? null,
        text: o.text ?? null,
        detailsUrl: o.detailsUrl ?? null,
        externalId: o.externalId ?? null,
        annotations: [...(o.annotations ?? [])],
        startedAt: deps.now(),
        completedAt: null,
        writes: 1,
      };
      complete(run);
      runs.set(run.id, run);
      return run;
    },
    updateCheckRun(id: number, patch: CheckRunPatch): FakeCheckRun {
      const run = runs.get(id);
      if (!run) throw new FakeGitHubError("not-found", `no check run ${id}`);
      const { annotations, ...fields } = patch;
      if (fields.status !== undefined && fields.status !== "completed" && fields.conclusion === undefined) fields.conclusion = null;
      Object.assign(run, fields);
      run.annotations.push(...(annotations ?? []));
      run.writes++;
      complete(run);
      return run;
    },
    checkRun: (id: number): FakeCheckRun | undefined => runs.get(id),
    /** Every check run on a commit, oldest first. */
    checkRuns: (owner: string, repo: string, sha: string): FakeCheckRun[] => [...runs.values()].filter((r) => r.headSha === sha && repoKey(r.owner, r.repo) === repoKey(owner, repo)),
    /** The newest check run of each name on a commit (of one app's, with `appId`): what a pull request's Checks tab shows. */
    latestCheckRuns(owner: string, repo: string, sha: string, appId?: number): Map<string, FakeCheckRun> {
      const latest = new Map<string, FakeCheckRun>();
      for (const r of runs.values()) {
        if (r.headSha === sha && repoKey(r.owner, r.repo) === repoKey(owner, repo) && (appId === undefined || r.appId === appId)) latest.set(r.name, r);
      }
      return latest;
    },
  };
}
