/** An isolated checkout at one commit, with its own TF_DATA_DIR; removed by dispose(). */
export interface Workspace {
  readonly dir: string;
  readonly dataDir: string;
  /** A private (0700) temporary directory for the job's processes. */
  readonly tmpDir: string;
  /** Texts of the `*.tf`/`*.tofu` files directly in these repository-relative directories. */
  readConfigFiles(dirs: readonly string[]): Promise<Map<string, string>>;
  dispose(): Promise<void>;
}

export interface MirrorRequest {
  readonly repoKey: string;
  readonly source: string;
  /** Commits the caller needs; fetched when missing. */
  readonly shas: readonly string[];
  /** Extra environment for git fetch, e.g. an installation token as an HTTP header. */
  readonly env?: Readonly<Record<string, string>>;
}

export interface CheckoutRequest {
  readonly repoKey: string;
  readonly source: string;
  readonly sha: string;
  readonly env?: Readonly<Record<string, string>>;
}

export interface Workspaces {
  /** Brings the repository's local mirror up to date; returns its directory (for a RepoReader). */
  mirror(request: MirrorRequest): Promise<string>;
  checkout(input: CheckoutRequest & { jobId: string }): Promise<Workspace>;
  /**
   * Starts a checkout of `sha` ahead of the job that will need it (e.g. while detection runs);
   * the next `checkout` of the same commit takes it over. Returns at once; a failure here only
   * means the job checks out itself.
   */
  prepare(input: CheckoutRequest): void;
  /** Removes prepared checkouts that no job took. */
  discardPrepared(): Promise<void>;
  /**
   * Removes what jobs of an earlier process left when it stopped mid-job (a crash, SIGKILL): their
   * directories and private TMPDIRs. Only while no job runs (a server at start-up); returns how many.
   */
  sweep(): Promise<number>;
  /** Deletes saved plan files (a closed pull request's); missing files are fine. */
  removeFiles(paths: readonly string[]): Promise<void>;
}
