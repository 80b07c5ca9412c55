import { z } from "zod";
import { parseCronSchedule } from "../domain/drift/cron-schedule.js";

const cron = z
  .string()
  .superRefine((text, ctx) => {
    const parsed = parseCronSchedule(text);
    if (!parsed.ok) ctx.addIssue({ code: "custom", message: parsed.message });
  })
  .describe("A 5-field cron expression in UTC (minute hour day-of-month month day-of-week), e.g. `17 5 * * *`.");

/** `drift:` at the top level of tfgate.yaml and in a project; each unset key falls back. */
export const driftConfigSchema = z
  .strictObject({
    schedule: cron.optional(),
    enabled: z.boolean().optional().describe("Whether drift checks run (default: the server's TFGATE_DRIFT)."),
  })
  .describe("When tfgate plans the default branch's head to find drift (infrastructure or state that differs from the merged code). Unset keys fall back to the top-level `drift`, then to the server's TFGATE_DRIFT_SCHEDULE.");
