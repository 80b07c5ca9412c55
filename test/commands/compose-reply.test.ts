import { describe, expect, it } from "vitest";
import { composeReply } from "../../src/domain/commands/compose-reply.js";
import { GITHUB_COMMENT_LIMIT } from "../../src/domain/render/render-summary.js";

const output = (n: number) => `✅ \`p${n}\` applied\n\n<details><summary>Output</summary>\n\n\`\`\`\n${"x".repeat(20_000)}\n\`\`\`\n\n</details>`;

describe("composeReply", () => {
  it("gathers every answer and note into one body for the author", () => {
    expect(composeReply("alice", ["one", "two"], ["note"])).toBe("@alice one\n\ntwo\n\nnote");
  });

  it("keeps whole answers while they fit, then headlines, and says what it left out", () => {
    const answers = [output(1), output(2), output(3), output(4), "short answer"];
    const body = composeReply("alice", answers, ["⚠️ the cap note"]);
    expect(body.length).toBeLessThanOrEqual(64_000);
    expect(body.startsWith("@alice ✅ `p1` applied")).toBe(true);
    // Every answer's headline is there, whole answers first.
    for (const n of [1, 2, 3, 4]) expect(body).toContain(`✅ \`p${n}\` applied`);
    expect(body).toContain("short answer");
    expect(body).toContain("⚠️ the cap note");
    expect(body).toMatch(/shortened to stay under GitHub's 65,536-character comment limit: [\d,]+ characters were left out/);
    // Nothing was cut inside: fences and folds are balanced.
    expect((body.match(/<details>/g) ?? []).length).toBe((body.match(/<\/details>/g) ?? []).length);
    expect((body.match(/^```/gm) ?? []).length % 2).toBe(0);
  });

  it("stays under the limit whatever the answers hold", () => {
    const answers = Array.from({ length: 10 }, () => "y".repeat(GITHUB_COMMENT_LIMIT));
    const body = composeReply("bob", answers, []);
    expect(body.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(body).toContain("655,360 characters were left out");
  });

  it("respects a smaller budget", () => {
    const body = composeReply("bob", ["a".repeat(3000), "b\n" + "c".repeat(3000)], [], { budget: 2_000 });
    expect(body.length).toBeLessThanOrEqual(2_000);
    // The first answer has no short headline: left out; the second keeps its first line.
    expect(body.startsWith("@bob b\n\n_✂️")).toBe(true);
  });
});
