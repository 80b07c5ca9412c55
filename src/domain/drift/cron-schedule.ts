/**
 * A standard 5-field cron expression (minute hour day-of-month month day-of-week), evaluated in
 * UTC. Written here rather than taken from npm: tfgate needs only "is this minute due" and "when
 * was it last due", and the rules below are the whole of what operators write in crontab.
 * Day-of-month and day-of-week follow Vixie cron: when both are restricted, either one matching is
 * enough.
 */
export interface CronSchedule {
  readonly expression: string;
  /** Whether the minute that starts at `ms` (UTC) is one the schedule names. */
  matches(ms: number): boolean;
  /** The start of the latest due minute at or before `ms`; null if none in the past `lookbackDays`. */
  previous(ms: number, lookbackDays?: number): number | null;
  /** The start of the first due minute after `ms`; null if none in the next `lookaheadDays`. */
  next(ms: number, lookaheadDays?: number): number | null;
}

export type CronParse = { readonly ok: true; readonly schedule: CronSchedule } | { readonly ok: false; readonly message: string };

const FIELDS = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12 },
  { name: "day of week", min: 0, max: 7 },
] as const;

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
const MINUTE_MS = 60_000;

export function parseCronSchedule(expression: string): CronParse {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5) return { ok: false, message: `a cron schedule has 5 fields (minute hour day-of-month month day-of-week), got ${parts.length}` };
  const sets: Set<number>[] = [];
  for (let i = 0; i < 5; i++) {
    const field = FIELDS[i] as (typeof FIELDS)[number];
    const names = i === 3 ? MONTHS : i === 4 ? DAYS : null;
    const set = parseField(parts[i] as string, field.min, field.max, names, i === 3 ? 1 : 0);
    if (typeof set === "string") return { ok: false, message: `${field.name} "${parts[i]}": ${set}` };
    sets.push(set);
  }
  const [minutes, hours, doms, months, dows] = sets as [Set<number>, Set<number>, Set<number>, Set<number>, Set<number>];
  if (dows.has(7)) dows.add(0);
  const domRestricted = parts[2] !== "*";
  const dowRestricted = parts[4] !== "*";
  const matches = (ms: number): boolean => {
    const d = new Date(ms);
    if (!minutes.has(d.getUTCMinutes()) || !hours.has(d.getUTCHours()) || !months.has(d.getUTCMonth() + 1)) return false;
    const domOk = doms.has(d.getUTCDate());
    const dowOk = dows.has(d.getUTCDay());
    if (domRestricted && dowRestricted) return domOk || dowOk;
    return domOk && dowOk;
  };
  return {
    ok: true,
    schedule: {
      expression: parts.join(" "),
      matches,
      previous(ms, lookbackDays = 366) {
        // Minute by minute: at most ~527,000 cheap checks for a year, run once per tick at most.
        const start = Math.floor(ms / MINUTE_MS) * MINUTE_MS;
        for (let t = start; t > start - lookbackDays * 24 * 60 * MINUTE_MS; t -= MINUTE_MS) if (matches(t)) return t;
        return null;
      },
      next(ms, lookaheadDays = 366) {
        const start = Math.floor(ms / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
        for (let t = start; t < start + lookaheadDays * 24 * 60 * MINUTE_MS; t += MINUTE_MS) if (matches(t)) return t;
        return null;
      },
    },
  };
}

function parseField(text: string, min: number, max: number, names: readonly string[] | null, nameOffset: number): Set<number> | string {
  const out = new Set<number>();
  for (const item of text.split(",")) {
    const m = /^(\*|[A-Za-z0-9]+(?:-[A-Za-z0-9]+)?)(?:\/(\d+))?$/.exec(item);
    if (!m) return "expected *, a number, a range a-b, a list a,b or a step */n";
    const step = m[2] === undefined ? 1 : Number(m[2]);
    if (step < 1) return "a step must be at least 1";
    let lo = min;
    let hi = max;
    if (m[1] !== "*") {
      const [a, b] = (m[1] as string).split("-");
      const from = value(a as string, names, nameOffset);
      const to = b === undefined ? (m[2] === undefined ? from : max) : value(b, names, nameOffset);
      if (from === null || to === null) return `not a number${names ? " or name" : ""}`;
      lo = from;
      hi = to;
    }
    if (lo < min || hi > max) return `values go from ${min} to ${max}`;
    if (lo > hi) return "a range must go upwards";
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

function value(text: string, names: readonly string[] | null, offset: number): number | null {
  if (/^\d+$/.test(text)) return Number(text);
  const i = names?.indexOf(text.toLowerCase()) ?? -1;
  return i < 0 ? null : i + offset;
}
