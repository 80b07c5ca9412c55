import { planPullRequest } from "../plan-pull-request.js";
import type { CommentCommand } from "./comment-command.js";

export const planCommand: CommentCommand<"plan"> = {
  name: "plan",
  usage: "/plan [project…]",
  help: "Plans the named projects, or every project this pull request affects.",
  takesProjects: true,
  access: "writers",
  async run(deps, event, { projects }, reply) {
    const pr = await deps.vcs.changeRequest(event.repo, event.pr);
    if (pr.state !== "open") return reply("this pull request is closed; nothing was planned.");
    // A writer's /plan also runs fork PRs and drafts: they read the code they ask to run.
    return planPullRequest(deps, event.repo, pr, { only: projects, actor: event.author, reply });
  },
};
