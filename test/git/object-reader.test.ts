import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createObjectReader, type ObjectReader } from "../../src/adapters/git/object-reader.js";
import { createTestRepo, type TestRepo } from "../helpers/git-repo.js";

describe("object reader (real git cat-file)", () => {
  let repo: TestRepo;
  let reader: ObjectReader;
  beforeEach(() => {
    repo = createTestRepo();
    reader = createObjectReader(repo.dir, process.env);
  });
  afterEach(() => {
    reader.close();
    repo.cleanup();
  });

  it("reads many texts in order, null for a missing name or a tree, across pipe chunks", async () => {
    const big = `${"x".repeat(200_000)}\nlast line ✓\n`;
    repo.write({ "a.tf": "# a ✓\n", "dir/b.tf": "", "big.txt": big });
    const sha = repo.commit("files");
    const names = [`${sha}:a.tf`, `${sha}:nope.tf`, `${sha}:dir`, `${sha}:big.txt`, `${sha}:dir/b.tf`, `${sha}:a.tf`];
    // Single reads interleaved with a bulk read share the same pipe and answer order.
    const [one, texts, commit] = await Promise.all([reader.read(`${sha}:a.tf`), reader.readTexts(names), reader.read(`${sha}^{commit}`)]);
    expect(texts).toEqual(["# a ✓\n", null, null, big, "", "# a ✓\n"]);
    expect(one?.type).toBe("blob");
    expect(one?.data.toString("utf8")).toBe("# a ✓\n");
    expect(commit).toMatchObject({ id: sha, type: "commit" });
    expect(await reader.readTexts([])).toEqual([]);
  });

  it("refuses names with a newline, and fails every waiting read when closed", async () => {
    await expect(reader.readTexts(["a\nb"])).rejects.toThrow("newlines");
    repo.write({ "a.tf": "x\n" });
    const sha = repo.commit("one");
    const waiting = reader.readTexts([`${sha}:a.tf`, `${sha}:a.tf`]);
    reader.close();
    await expect(waiting).rejects.toThrow("object reader closed");
  });

  it("hands blobs over one by one as they arrive; a failing callback fails only its own call", async () => {
    const big = `${"y".repeat(150_000)}\n`;
    repo.write({ "a.tf": "# a\n", "big.txt": big });
    const sha = repo.commit("files");
    const seen: [number, string | null][] = [];
    await reader.eachBlob([`${sha}:a.tf`, `${sha}:missing`, `${sha}:big.txt`], (i, data) => seen.push([i, data === null ? null : data.toString("utf8")]));
    expect(seen).toEqual([
      [0, "# a\n"],
      [1, null],
      [2, big],
    ]);

    let calls = 0;
    const failing = reader.eachBlob([`${sha}:a.tf`, `${sha}:a.tf`, `${sha}:big.txt`], () => {
      calls++;
      throw new Error("scan failed");
    });
    const alongside = reader.readTexts([`${sha}:big.txt`]);
    await expect(failing).rejects.toThrow("scan failed");
    expect(calls).toBe(1);
    // The reader itself keeps working: the other call and later ones get their answers.
    expect(await alongside).toEqual([big]);
    expect(await reader.readTexts([`${sha}:a.tf`])).toEqual(["# a\n"]);
  });
});
