/**
 * The human-readable plan, from `tofu plan -no-color` output (with TF_IN_AUTOMATION set).
 *
 * tofu renders a plan with the same code whether `plan` prints it or `show` reads it back from the
 * saved file; what `plan` adds is progress: one line per resource refreshed or data source read,
 * before the plan itself. Those lines are dropped here, so the text equals `show -no-color` of the
 * saved plan (tested against it) without a second start of every provider. Warnings, which `plan`
 * prints after the plan and `show` does not, are kept: reviewers should see them.
 */
const PROGRESS = /^\S.*: (Refreshing state\.\.\.|Reading\.\.\.|Read complete after |Still reading\.\.\. |Preparing import\.\.\.|Importing |Import complete)/;

export function planText(planOutput: string): string {
  const lines = planOutput.split("\n");
  let start = 0;
  while (start < lines.length && PROGRESS.test(lines[start] as string)) start++;
  return lines.slice(start).join("\n");
}
