import { describe, expect, it } from "vitest";
import type { DriftCheckRecord } from "../../src/app/ports/drift-results.js";
import { driftHistoryPage, driftKey, driftPage, driftStateText, type DriftPageContext } from "../../src/adapters/http/ui/drift-pages.js";

const SHA = "0123456789abcdef0123456789abcdef01234567";
const check = (over: Partial<DriftCheckRecord>): DriftCheckRecord => ({
  id: 1,
  repo: "acme/infra",
  project: "web",
  sha: SHA,
  scheduledFor: 0,
  state: "in-sync",
  counts: null,
  diff: null,
  policy: null,
  error: null,
  lockedBy: null,
  startedAt: Date.UTC(2025, 0, 2, 3, 4, 5),
  checkedAt: Date.UTC(2025, 0, 2, 3, 5, 6),
  resumes: 0,
  ...over,
});
const ctx = (over: Partial<DriftPageContext> = {}): DriftPageContext => ({ enabled: true, queued: new Set(), notice: null, pull: (repo, pr) => `https://github.example/${repo}/pull/${pr}`, ...over });
const counts = { add: 1, change: 2, destroy: 3, replace: 0 };

describe("drift pages", () => {
  it("states in words, with a drifted check's counts", () => {
    expect(driftStateText(check({ state: "in-sync" }))).toBe("in sync");
    expect(driftStateText(check({ state: "started", checkedAt: null }))).toBe("running");
    expect(driftStateText(check({ state: "error", error: "boom" }))).toBe("error");
    expect(driftStateText(check({ state: "drifted", counts }))).toBe("drifted: 1 to add, 2 to change, 3 to destroy");
    expect(driftStateText(check({ state: "drifted", counts: { ...counts, replace: 4 } }))).toBe("drifted: 1 to add, 2 to change, 3 to destroy, 4 to replace");
    const violation = { address: "x.y", rule: "no-x", message: "x is <denied>" };
    expect(driftStateText(check({ state: "drifted", counts, policy: { status: "failed", violations: [violation], warnings: [violation] } }))).toBe("drifted: 1 to add, 2 to change, 3 to destroy; policy failed: 1 violation(s), 1 warning(s)");
    expect(driftStateText(check({ state: "drifted", counts, policy: { status: "passed", warnings: [] } }))).toBe("drifted: 1 to add, 2 to change, 3 to destroy");
    expect(driftStateText(check({ state: "drifted", counts, policy: { status: "error", errors: [{ file: "policies/a.rego", key: "", line: null, message: "bad" }] } }))).toBe("drifted: 1 to add, 2 to change, 3 to destroy; policy error");
  });

  it("lists each repository's projects: state, commit, when, lock holder, history link, Check now", () => {
    const page = driftPage(
      [{ repo: "acme/infra", latest: [check({ project: "web/prod", state: "drifted", counts, lockedBy: 7 }), check({ id: 2, project: "db", state: "error", error: "no credentials\nsecond line" })] }],
      ctx(),
    );
    expect(page).toContain('<a href="/ui/drift">Drift</a>');
    expect(page).toContain('href="/ui/drift/history?repo=acme%2Finfra&amp;project=web%2Fprod"');
    expect(page).toContain("drifted: 1 to add, 2 to change, 3 to destroy");
    expect(page).toContain("<code>0123456789ab</code>");
    expect(page).toContain("2025-01-02 03:05:06Z");
    expect(page).toContain('<a href="https://github.example/acme/infra/pull/7">#7</a>');
    expect(page).toContain("<summary>no credentials</summary><pre>no credentials\nsecond line</pre>");
    // One button per project and one for the repository.
    expect(page.match(/<button type="submit" class="check-now">/g)).toHaveLength(3);
    expect(page).toContain('<input type="hidden" name="project" value="web/prod">');
    expect(page).toContain("Check all projects now");
  });

  it("escapes everything that comes from repositories and plans", () => {
    const evil = `<img src=x onerror="alert(1)">`;
    const page = driftPage([{ repo: "acme/infra", latest: [check({ project: evil, state: "error", error: evil })] }], ctx({ notice: evil }));
    const history = driftHistoryPage("acme/infra", evil, [check({ project: evil, state: "drifted", counts, diff: `+ tags = { "x" = "</pre><script>alert(1)</script>" }` })], ctx());
    for (const html of [page, history]) {
      expect(html).not.toContain("<img");
      expect(html).not.toContain("<script>alert");
    }
    expect(page).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
    expect(history).toContain("&lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("history: newest first as given, the plan of a drifted check in a details block, resumes shown", () => {
    const page = driftHistoryPage(
      "acme/infra",
      "web",
      [check({ id: 9, state: "drifted", counts, diff: "  + resource \"x\" \"y\"" }), check({ id: 8, state: "in-sync", resumes: 2 }), check({ id: 7, state: "started", checkedAt: null })],
      ctx(),
    );
    expect(page).toContain("<h1>Drift of web</h1>");
    expect(page.indexOf('data-check="9"')).toBeLessThan(page.indexOf('data-check="8"'));
    expect(page).toContain("<details><summary>Plan of check 9</summary><pre>  + resource &quot;x&quot; &quot;y&quot;</pre></details>");
    expect(page).toContain("resumed 2×");
    const judged = driftHistoryPage("acme/infra", "web", [check({ id: 9, state: "drifted", counts, diff: null, policy: { status: "failed", violations: [{ address: "x.y", rule: "no-x", message: "x is <denied>" }], warnings: [] } })], ctx());
    expect(judged).toContain('<ul class="drift-policy"><li>violation <code>no-x</code> on <code>x.y</code>: x is &lt;denied&gt;</li></ul>');
    expect(page).toContain('<span class="drift-started">running</span>');
  });

  it("empty states; drift turned off offers no button and says so", () => {
    expect(driftPage([], ctx())).toContain("No drift checks yet");
    const off = driftPage([{ repo: "acme/infra", latest: [check({})] }], ctx({ enabled: false }));
    expect(off).toContain("drift checks are turned off on this server (TFGATE_DRIFT=false)");
    expect(off).not.toContain("<button");
    expect(driftPage([], ctx({ enabled: false }))).toContain("TFGATE_DRIFT=false");
    expect(driftPage([{ repo: "acme/infra", latest: [] }], ctx())).toContain("No drift check of acme/infra yet.");
  });

  it("a queued check shows as queued instead of a second button", () => {
    const page = driftPage([{ repo: "acme/infra", latest: [check({})] }], ctx({ queued: new Set([driftKey("acme/infra", null)]), notice: "Check of all projects of acme/infra queued." }));
    expect(page).not.toContain("<button");
    expect(page).toContain("check queued");
    expect(page).toContain('<p id="notice"><strong>Check of all projects of acme/infra queued.</strong></p>');
  });
});
