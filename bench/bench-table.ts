/** One benchmark figure, with its goal; printed as a table by run-bench.ts. */
export interface BenchRow {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly goal: string;
  readonly ok: boolean;
  readonly note?: string;
}

export function formatBenchTable(rows: readonly BenchRow[]): string {
  const lines = ["| benchmark | result | goal | met |", "|---|---:|---|---|"];
  for (const r of rows) {
    const value = r.unit === "ratio" || r.unit === "×" ? r.value.toFixed(2) : r.value.toFixed(r.value < 10 ? 2 : 0);
    lines.push(`| ${r.name}${r.note ? ` (${r.note})` : ""} | ${value} ${r.unit} | ${r.goal} | ${r.ok ? "yes" : "NO"} |`);
  }
  return lines.join("\n");
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

export async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}
