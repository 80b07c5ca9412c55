import { describe, expect, it } from "vitest";
import { cleanText, cutAt, oneLine } from "../../src/domain/render/clean-text.js";
import { codeFence } from "../../src/domain/render/code-fence.js";
import { diffLines, MAX_LINE_LENGTH, textLines } from "../../src/domain/render/diff-lines.js";
import { escapeCommentHtml, escapeHtml } from "../../src/domain/render/escape-html.js";
import { inlineCode } from "../../src/domain/render/inline-code.js";
import { packBlocks } from "../../src/domain/render/pack-blocks.js";
import { fitDetails, projectDetails } from "../../src/domain/render/project-details.js";
import { safeUrl } from "../../src/domain/render/safe-url.js";
import { createSecretScrubber } from "../../src/domain/render/secret-scrubber.js";
import { stateFromOutcome } from "../../src/domain/render/summary-input.js";
import { readSummaryMarker, SUMMARY_MARKER, summaryMarker } from "../../src/domain/render/summary-marker.js";
import { structureProblems } from "./markdown-structure.js";

describe("summary marker", () => {
  it.each([
    [`${SUMMARY_MARKER}\n### x`, { part: 1, total: null }],
    [`${SUMMARY_MARKER}\r\nbody`, { part: 1, total: null }],
    [`\uFEFF${SUMMARY_MARKER}`, { part: 1, total: null }],
    ["<!-- tfgate:summary v1 part 2/3 -->\nx", { part: 2, total: 3 }],
    ["<!-- tfgate:summary v1 part 3/3 -->", { part: 3, total: 3 }],
    ["<!-- tfgate:summary v1 part 4/3 -->", null],
    ["<!-- tfgate:summary v1 part 1/3 -->", null],
    ["<!-- tfgate:summary v1 part 02/3 -->", null],
    ["<!-- tfgate:summary v2 -->", null],
    [`hello\n${SUMMARY_MARKER}`, null],
    [`> ${SUMMARY_MARKER}`, null],
    ["", null],
  ])("%j", (body, expected) => {
    expect(readSummaryMarker(body)).toEqual(expected);
  });

  it("writes what it reads", () => {
    expect(readSummaryMarker(summaryMarker(1, 4))).toEqual({ part: 1, total: null });
    expect(readSummaryMarker(summaryMarker(4, 4))).toEqual({ part: 4, total: 4 });
  });
});

describe("inlineCode", () => {
  it.each([
    ["kirare", "`kirare`"],
    ["a`b", "``a`b``"],
    ["``x", "``` ``x ```"],
    [" x ", "`  x  `"],
    ["a\nb", "`a b`"],
    ["<b>@x</b>", "`<b>@x</b>`"],
    ["", "` `"],
  ])("%j", (text, expected) => {
    expect(inlineCode(text)).toBe(expected);
  });
});

describe("codeFence", () => {
  it("is longer than any backtick run in the text", () => {
    expect(codeFence(["a"], "diff")).toBe("```diff\na\n```\n");
    expect(codeFence(["```", "x ```` y"], "text")).toBe("`````text\n```\nx ```` y\n`````\n");
    expect(codeFence([], "diff")).toBe("```diff\n```\n");
  });
});

describe("text cleaning", () => {
  it("normalises line ends and strips control, escape and bidi characters", () => {
    expect(cleanText("a\r\nb\rc\u001b[1;31md\u0000e\tf\u202eg")).toBe("a\nb\ncd" + "e\tf\ufffdg");
  });

  it("cuts without splitting a surrogate pair", () => {
    expect(cutAt("ab😀", 3)).toBe("ab");
    expect(oneLine("ab😀cd", 4)).toBe("ab…");
    expect(oneLine("a\n  b", 10)).toBe("a b");
  });

  it("escapes HTML and mentions for raw HTML contexts", () => {
    expect(escapeCommentHtml(`<a href="x">'&'</a> @me\nnext`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt; @\u200bme next");
    // Pages and attributes keep lines and addresses as they are.
    expect(escapeHtml(`<a href="x">'&'</a> @me\nnext`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt; @me\nnext");
  });
});

describe("diffLines", () => {
  it("moves tofu's markers to column 0 without changing widths, and leaves other lines", () => {
    expect(diffLines("\n  # x will be created\n  + resource \"a\" \"b\" {\n      ~ a = 1 -> 2\n      - b = 1 -> null\n-/+ resource\n    }\n")).toEqual([
      "  # x will be created",
      '+   resource "a" "b" {',
      "~       a = 1 -> 2",
      "-       b = 1 -> null",
      "-/+ resource",
      "    }",
    ]);
  });

  it("cuts overlong lines", () => {
    const [line] = textLines("x".repeat(MAX_LINE_LENGTH + 10));
    expect(line).toBe(`${"x".repeat(MAX_LINE_LENGTH)}… (10 more characters)`);
    expect(textLines("\n\n")).toEqual([]);
  });
});

describe("safeUrl", () => {
  it.each([
    ["https://github.com/acme/infra/pull/17", "https://github.com/acme/infra/pull/17"],
    ["http://tfgate.local:8080/logs/a_b?x=1&y=2", "http://tfgate.local:8080/logs/a_b?x=1&y=2"],
    ["https://x/(a)|b", "https://x/%28a%29%7Cb"],
    ["javascript:alert(1)", null],
    ["https://x/a b", null],
    ["https://x/<script>", null],
    ['https://x/"', null],
    ["ftp://x", null],
    [`https://x/${"a".repeat(2000)}`, null],
  ])("%j", (url, expected) => {
    expect(safeUrl(url)).toBe(expected);
  });
});

describe("createSecretScrubber", () => {
  it("replaces secrets, longest first, and each long line of a multi-line secret", () => {
    const scrub = createSecretScrubber(["token123", "token123456", "-----BEGIN-----\r\nAAAABBBBCCCC\n-----END-----", "", "   ", "abc"]);
    expect(scrub("a token123456 b token123 c")).toBe("a *** b *** c");
    expect(scrub("key AAAABBBBCCCC")).toBe("key ***");
    expect(scrub("abc is fine")).toBe("abc is fine");
  });

  it("does nothing without secrets", () => {
    expect(createSecretScrubber([])("x")).toBe("x");
  });
});

describe("stateFromOutcome", () => {
  it("maps plan outcomes, keeping planJson out", () => {
    const counts = { add: 1, change: 0, destroy: 0, replace: 0 };
    const plan = { path: "/p", sha256: "x" };
    expect(stateFromOutcome({ status: "changes", counts, diff: "d", plan, durationMs: 1, planJson: { secret: 1 } })).toEqual({ status: "changes", counts, diff: "d" });
    expect(stateFromOutcome({ status: "no-changes", durationMs: 1, planJson: {} })).toEqual({ status: "no-changes" });
    expect(stateFromOutcome({ status: "error", reason: "cancelled", message: "superseded", diagnostics: "", durationMs: 0 })).toEqual({ status: "cancelled", message: "superseded" });
    expect(stateFromOutcome({ status: "error", reason: "timeout", message: "m", diagnostics: "d", durationMs: 0 })).toEqual({ status: "error", reason: "timeout", message: "m", diagnostics: "d" });
  });
});

describe("packBlocks", () => {
  it("keeps blocks whole and joins them with blank lines", () => {
    const parts = packBlocks([{ kind: "text", text: "a\n" }, { kind: "text", text: "b".repeat(10) + "\n" }, { kind: "text", text: "c\n" }], { budget: 15, maxParts: 10 });
    // 2 + 1 + 11 = 14 fits in 15; adding 1 + 2 for "c" would not.
    expect(parts).toEqual([["a\n", "bbbbbbbbbb\n"], ["c\n"]]);
  });

  it("splits a table between rows and repeats its head", () => {
    const parts = packBlocks([{ kind: "table", head: "|h|\n|-|", rows: ["|1|", "|2|", "|3|"] }], { budget: 16, maxParts: 10 });
    expect(parts).toEqual([["|h|\n|-|\n|1|\n|2|\n"], ["|h|\n|-|\n|3|\n"]]);
  });

  it("replaces a block that can never fit rather than exceed the budget", () => {
    const parts = packBlocks([{ kind: "text", text: "x".repeat(100) }], { budget: 60, maxParts: 10 });
    expect(parts[0]?.[0]).toMatch(/too large/);
    expect(packBlocks([{ kind: "text", text: "x".repeat(100), compact: "short\n" }], { budget: 60, maxParts: 10 })).toEqual([["short\n"]]);
  });
});

describe("fitDetails", () => {
  it("shows as many diagnostics lines as fit, with a valid fence", () => {
    const diagnostics = Array.from({ length: 500 }, (_, i) => `line ${i} \`\`\``).join("\n");
    const details = projectDetails({ name: "k", dir: "projects/k", state: { status: "error", reason: "timeout", message: "plan timed out after 30m", diagnostics }, policy: null, lock: "held" });
    expect(details?.kind).toBe("fold");
    const text = fitDetails(details as NonNullable<typeof details>, 3000);
    expect(text.length).toBeLessThanOrEqual(3000);
    expect(text.length).toBeGreaterThan(2800);
    expect(structureProblems(text)).toEqual([]);
    expect(text).toMatch(/diagnostics trimmed: \d+ of 502 lines shown; the full log is on the tfgate server/);
  });

  it("falls back to one line when not even the fold fits", () => {
    const details = projectDetails({ name: "k", dir: "d", state: { status: "changes", counts: { add: 1, change: 0, destroy: 0, replace: 0 }, diff: "x" }, policy: null, lock: "held" });
    expect(fitDetails(details as NonNullable<typeof details>, 50)).toBe("📝 `k`: +1 ~0 −0 ±0; diff not shown (too large for a comment); the full log is on the tfgate server\n");
  });

  it("has nothing to add for rows that say it all", () => {
    for (const status of ["queued", "running", "no-changes"] as const) {
      expect(projectDetails({ name: "k", dir: "d", state: { status }, policy: null, lock: "held" })).toBeNull();
    }
    expect(projectDetails({ name: "k", dir: "d", state: { status: "applied", counts: { add: 1, change: 0, destroy: 0, replace: 0 } }, policy: null, lock: "held" })).toBeNull();
  });
});

describe("codeCell: PR-controlled text stays one code span", () => {
  it("a for_each key with backtick runs cannot close the span and inject a mention or a link", async () => {
    const { codeCell } = await import("../../src/domain/policy/render-policy.js");
    const key = 'aws_s3_bucket.b["``@acme/admins [x](https://evil.example)``"]';
    const cell = codeCell(key);
    expect(cell.startsWith("```")).toBe(true);
    expect(cell).toBe(`\`\`\`${key}\`\`\``);
    expect(codeCell("a|b")).toBe("`a\\|b`");
  });
});
