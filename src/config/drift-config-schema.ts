import { z } from "zod";
import { parseCronSchedule } from "../domain/drift/cron-schedule.js";

const cron = z
  .string()
  .superRefine((text, ctx) => {
    const parsed = parseCronSchedule(text);
    if (!parsed.ok) ctx.addIssue({ code: "custom", message: parsed.message });
  })
  .describe("A 5-field cron expression in UTC (minute hour day-of-month month day-of-week), e.g. `17 5 * * *`.");

const settings = {
  schedule: cron.optional(),
  enabled: z.boolean().optional().describe("Whether drift checks run (default: the server's TFGATE_DRIFT)."),
};

/** `drift:` in a project entry; each unset key falls back. */
export const driftConfigSchema = z
  .strictObject(settings)
  .describe("When tfgate plans the default branch's head to find drift (infrastructure or state that differs from the merged code). Unset keys fall back to the first matching `drift.rules` entry, then the top-level `drift`, then the server's TFGATE_DRIFT_SCHEDULE.");

const globs = (what: string) => z.array(z.string().min(1)).min(1).optional().describe(what);

const driftRuleSchema = z
  .strictObject({
    projects: globs("Project name globs (`*/prod`, `payments/*`)."),
    dirs: globs("Project directory globs, as in `roots` (`envs/prod/*`): a rule for the projects of a root."),
    ...settings,
  })
  .refine((r) => r.projects !== undefined || r.dirs !== undefined, { message: "a drift rule needs `projects` or `dirs` (or both) to say which projects it is for" })
  .describe("Drift settings of a group of projects: those whose name matches `projects` or whose directory matches `dirs`. The first matching rule applies.");

/** `drift:` at the top level of tfgate.yaml: settings for every project, and rules for groups of them. */
export const topDriftConfigSchema = z
  .strictObject({ ...settings, rules: z.array(driftRuleSchema).optional().describe("Per group of projects (a root, an environment); the first matching rule wins over the settings above, a project's own `drift` wins over the rule.") })
  .describe("When tfgate plans the default branch's head to find drift (infrastructure or state that differs from the merged code). Unset keys fall back to the server's TFGATE_DRIFT and TFGATE_DRIFT_SCHEDULE.");
