import type { DriftState } from "../../domain/drift/drift-outcome.js";

/** The code host's issue reporting one project's drift, and what it showed last. */
export interface DriftIssueEntry {
  readonly repo: string;
  readonly project: string;
  readonly issue: number;
  /** False once tfgate closed it (drift resolved): the next drift opens a new issue. */
  readonly open: boolean;
  /** The state of the check the issue shows. */
  readonly shownState: DriftState;
  /** That check's id; null when recorded from the issue found on the host after a crash. */
  readonly checkId: number | null;
}

/** An entry as stored. */
export interface DriftIssueRecord extends DriftIssueEntry {
  readonly updatedAt: number;
}

/** Which issue reports which project's drift (one per project at a time). */
export interface DriftIssues {
  /** The project's latest issue, open or closed. */
  forProject(repo: string, project: string): Promise<DriftIssueRecord | null>;
  /** The project an issue number reports on, if it is a drift issue tfgate recorded. */
  forIssue(repo: string, issue: number): Promise<DriftIssueRecord | null>;
  /** Records the project's issue and what it shows, replacing the project's earlier one. */
  record(entry: DriftIssueEntry): Promise<DriftIssueRecord>;
}
