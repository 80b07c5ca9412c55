/**
 * The human-readable plan, from `tofu plan -no-color` output (with TF_IN_AUTOMATION set).
 *
 * tofu renders a plan with the same code whether `plan` prints it or `show` reads it back from the
 * saved file; what `plan` adds is progress: the state lock when taking it is slow, one line per
 * resource refreshed, data source read or ephemeral resource opened, before the plan itself, and
 * the lock's release after it. Those lines are dropped here, so the text equals `show -no-color`
 * of the saved plan (tested against it) without a second start of every provider. Warnings, which
 * `plan` prints after the plan and `show` does not, are kept: reviewers should see them.
 */
const RESOURCE_PROGRESS =
  /^\S.*: (Refreshing state\.\.\.|Reading\.\.\.|Read complete after |Still reading\.\.\. |Opening\.\.\.|Opening complete after |Still opening\.\.\. |Closing\.\.\.|Closing complete after |Renewing\.\.\.|Renewal complete after |Preparing import\.\.\.|Importing |Import complete)/;
const LOCK = /^(Acquiring|Releasing) state lock\. This may take a few moments\.\.\.$/;

const isProgress = (line: string) => RESOURCE_PROGRESS.test(line) || LOCK.test(line);

export function planText(planOutput: string): string {
  const lines = planOutput.split("\n");
  let start = 0;
  // Blank lines between progress lines go too; the plan's own leading blank line stays.
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (isProgress(line)) start = i + 1;
    else if (line.trim() !== "") break;
  }
  let end = lines.length;
  while (end > start && LOCK.test(lines[end - 1] as string)) end--;
  return lines.slice(start, end).join("\n");
}
