import { applyPullRequest } from "../apply-pull-request.js";
import type { CommentCommand } from "./comment-command.js";

export const applyCommand: CommentCommand<"apply"> = {
  name: "apply",
  usage: "/apply [project…]",
  help: "Applies the saved plans of the current head commit, once an SRE approved that commit and every policy passed.",
  takesProjects: true,
  // The apply gate admits approver-team members who cannot write, and refuses everyone else.
  access: "writers-and-approvers",
  run(deps, event, { projects, permission }, reply) {
    return applyPullRequest(deps, { repo: event.repo, pr: event.pr, actor: event.author, permission, projects, reply });
  },
};
