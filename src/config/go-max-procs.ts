/**
 * Each running job's share of the CPUs, as Go threads for tofu and its providers: with the
 * default concurrency (one job per CPU) that is 1, which keeps idle Go threads from spinning on
 * CPUs that other jobs need. A GOMAXPROCS the operator set wins (undefined: leave it alone).
 */
export function goMaxProcsFor(cpus: number, concurrency: number, env: Readonly<Record<string, string | undefined>>): number | undefined {
  if (env["GOMAXPROCS"]) return undefined;
  return Math.max(1, Math.floor(cpus / concurrency));
}
