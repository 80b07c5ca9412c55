import { detectChanges, type DetectReport, type Refs } from "../app/detect-changes.js";
import type { PlanEngine } from "../compose/plan-engine.js";
import { EXIT, type CliIo, type ExitCode } from "./cli-io.js";
import { textTable } from "./text-table.js";

export interface DetectArgs extends Refs {
  readonly repo: string;
  readonly json: boolean;
}

/** Runs detection; prints problems and returns null when the input is unusable. */
export async function runDetection(engine: PlanEngine, io: CliIo, args: DetectArgs): Promise<Extract<DetectReport, { status: "ok" }> | null> {
  // The HCL parser loads on first use: a run with no changed HCL file never pays for it.
  const report = await detectChanges({ reader: engine.readerFor(args.repo), validator: engine.validator }, args);
  if (report.status === "error") {
    for (const p of report.problems) io.err(`tfgate: ${p.message}\n`);
    return null;
  }
  for (const w of report.detection.warnings) io.err(`tfgate: warning: ${w}\n`);
  if (report.detection.configChanged) {
    io.err(`tfgate: note: this change edits tfgate.yaml; tfgate uses the version on ${args.base} until it is merged.\n`);
  }
  return report;
}

export async function detectCommand(engine: PlanEngine, io: CliIo, args: DetectArgs): Promise<ExitCode> {
  const report = await runDetection(engine, io, args);
  if (!report) return EXIT.invalidInput;
  const { detection } = report;
  if (args.json) {
    const out = {
      projects: detection.projects.map((a) => ({ name: a.project.name, dir: a.project.dir, reasons: a.reasons })),
      deleted: detection.deleted.map((d) => ({ name: d.name, dir: d.dir })),
      warnings: detection.warnings,
    };
    io.out(`${JSON.stringify(out)}\n`);
    return EXIT.ok;
  }
  const mergeBase = report.mergeBaseSha ?? (await engine.readerFor(args.repo).mergeBase(report.baseSha, report.headSha));
  io.out(`Changes from ${args.base} (merge base ${mergeBase.slice(0, 12)}) to ${args.head} (${report.headSha.slice(0, 12)})\n\n`);
  if (detection.projects.length === 0) io.out("No project is affected.\n");
  else {
    const rows = detection.projects.flatMap((a) => a.reasons.map((r, i) => [i === 0 ? a.project.name : "", i === 0 ? a.project.dir : "", r]));
    io.out(`${textTable(["PROJECT", "DIR", "WHY"], rows)}\n`);
  }
  if (detection.deleted.length > 0) {
    io.out(`\nDeleted projects (no configuration left; tfgate does not plan or destroy them):\n`);
    for (const d of detection.deleted) io.out(`  ${d.name}  ${d.dir}\n`);
  }
  if (detection.untouched.length > 0) io.out(`\n${detection.untouched.length} changed file(s) affect no project.\n`);
  return EXIT.ok;
}
