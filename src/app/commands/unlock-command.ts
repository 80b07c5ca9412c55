import { unlockProjects } from "../unlock-projects.js";
import type { CommentCommand } from "./comment-command.js";

export const unlockCommand: CommentCommand<"unlock"> = {
  name: "unlock",
  usage: "/unlock [project…]",
  help: "Releases this pull request's locks on the named projects, or on all of them (needs write access).",
  takesProjects: true,
  access: "writers",
  async run(deps, event, { projects }, reply) {
    return reply(await unlockProjects(deps, event.repo, event.pr, projects, event.author));
  },
};
