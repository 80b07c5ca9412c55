import type { Divergence } from "../apply/divergence-at-close.js";
import { inlineCode } from "./inline-code.js";

/**
 * The one comment a closed pull request gets when its branch and the infrastructure no longer
 * agree: which projects, why it matters (the next plan of them, in anyone's pull request, shows
 * the difference as its own), and the two ways back.
 */
export function renderDivergenceNotice(divergence: Divergence, baseRef: string): string {
  const base = inlineCode(baseRef);
  const list = divergence.projects.map((p) => `- ${inlineCode(p)}`).join("\n");
  switch (divergence.kind) {
    case "merged-unapplied":
      return [
        `⚠️ **Merged without \`/apply\`**: this pull request was merged into ${base}, but the plan with changes of these projects was never applied:`,
        "",
        list,
        "",
        `${base} now holds code the infrastructure does not run, and the next plan of these projects, in any pull request, will show these changes as its own.`,
        `To bring them back in step, either **apply it**: a new pull request that changes these projects is planned against what ${base} holds, and \`/apply\` after an approval applies it; or **revert** this pull request.`,
      ].join("\n");
    case "closed-after-apply":
      return [
        `⚠️ **Closed without merging after an apply**: tfgate applied this pull request's plan of these projects:`,
        "",
        list,
        "",
        `The infrastructure now runs code that ${base} does not have, and the next plan of these projects, in any pull request, will propose undoing it.`,
        `To bring them back in step, either **revert the apply**: a new pull request that changes these projects is planned from ${base}, and \`/apply\` after an approval puts back what ${base} describes; or **merge the change**: reopen this pull request, or land it in a new one.`,
      ].join("\n");
  }
}
