import type { DriftListener } from "../../src/app/check-drift.js";
import type { DriftIssueRecord, DriftIssues } from "../../src/app/ports/drift-issues.js";
import type { DriftCheckRecord } from "../../src/app/ports/drift-results.js";
import type { Issue, IssuePatch, IssueUpdate, NewIssue, RepoRef } from "../../src/app/ports/vcs.js";

export const REPO = "acme/infra";
export const SHA = "a".repeat(40);

let lastId = 0;
/** A finished check of `project` (drifted by default). */
export function check(overrides: Partial<DriftCheckRecord> = {}): DriftCheckRecord {
  const state = overrides.state ?? "drifted";
  return {
    id: ++lastId,
    repo: REPO,
    project: "network",
    sha: SHA,
    scheduledFor: 0,
    state,
    counts: state === "drifted" ? { add: 1, change: 2, destroy: 0, replace: 0 } : null,
    diff: state === "drifted" ? "  # hcloud_network.main will be created\n  + resource \"hcloud_network\" \"main\" {}" : null,
    policy: null,
    error: state === "error" ? "Error: provider unreachable" : null,
    lockedBy: null,
    startedAt: Date.UTC(2026, 0, 1, 5, 17),
    checkedAt: Date.UTC(2026, 0, 1, 5, 18),
    resumes: 0,
    ...overrides,
  };
}

/** Issues and comments as the code host keeps them, in memory. */
export function fakeIssueHost() {
  const issues: (Issue & { labels: readonly string[] })[] = [];
  const comments: { issue: number; body: string }[] = [];
  let next = 100;
  let failNext = 0;
  const maybeFail = () => {
    if (failNext > 0) {
      failNext--;
      throw Object.assign(new Error("GitHub answered 502"), { status: 502 });
    }
  };
  return {
    issues,
    comments,
    failNext: (n: number) => (failNext = n),
    resolveRepo: (owner: string, name: string): Promise<RepoRef> => Promise.resolve({ owner, name, hostId: 1 }),
    createIssue(_repo: RepoRef, i: NewIssue): Promise<number> {
      maybeFail();
      issues.push({ number: ++next, title: i.title, body: i.body, state: "open", byApp: true, labels: i.labels });
      return Promise.resolve(next);
    },
    updateIssue(_repo: RepoRef, number: number, patch: IssuePatch): Promise<IssueUpdate> {
      maybeFail();
      const i = issues.findIndex((x) => x.number === number);
      if (i < 0) return Promise.resolve({ status: "gone" });
      issues[i] = { ...(issues[i] as Issue & { labels: string[] }), ...patch };
      return Promise.resolve({ status: "updated" });
    },
    /** Deleted by an admin: GitHub answers 404/410 for it from then on. */
    deleteIssue(number: number): void {
      const i = issues.findIndex((x) => x.number === number);
      if (i >= 0) issues.splice(i, 1);
    },
    findIssues: (_repo: RepoRef, label: string): Promise<Issue[]> => Promise.resolve(issues.filter((i) => i.state === "open" && i.labels.includes(label))),
    createComment(_repo: RepoRef, issue: number, body: string): Promise<number> {
      maybeFail();
      comments.push({ issue, body });
      return Promise.resolve(comments.length);
    },
  };
}

export function memoryDriftIssues(): DriftIssues & { rows: Map<string, DriftIssueRecord> } {
  const rows = new Map<string, DriftIssueRecord>();
  return {
    rows,
    forProject: (repo, project) => Promise.resolve(rows.get(`${repo}:${project}`) ?? null),
    forIssue: (repo, issue) => Promise.resolve([...rows.values()].find((r) => r.repo === repo && r.issue === issue) ?? null),
    record(entry) {
      const row = { ...entry, updatedAt: 0 };
      rows.set(`${entry.repo}:${entry.project}`, row);
      return Promise.resolve(row);
    },
  };
}

/** Runs a listener for a check, with the check before it. */
export function follow(listener: DriftListener, record: DriftCheckRecord, previous: DriftCheckRecord | null = null): Promise<void> {
  return listener({ repo: { name: record.repo, source: "file:///x", key: "acme-infra" }, record, previous, lastKnown: previous });
}
