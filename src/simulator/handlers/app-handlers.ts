import { app, installation, installationToken } from "../representations/app-representation.js";
import type { OperationHandler } from "./operation-handler.js";
import { intParam, isResponse, notFound, visibleRepo } from "./operation-handler.js";

/** Operations authenticated as the app itself (JWT). */
export const appHandlers: Readonly<Record<string, OperationHandler>> = {
  "apps/get-authenticated": {
    auth: "app",
    handle: ({ rep }) => ({ status: 200, body: app(rep) }),
  },
  "apps/create-installation-access-token": {
    auth: "app",
    handle: (request) => {
      const found = request.rep.state.installation(intParam(request, "installation_id"));
      if (!found) return notFound(`no installation ${request.params.installation_id ?? ""}`);
      return { status: 201, body: installationToken(request.rep.state.issueToken(found.id)) };
    },
  },
  "apps/get-repo-installation": {
    auth: "app",
    handle: (request) => {
      const repo = visibleRepo(request);
      if (isResponse(repo)) return repo;
      const found = request.rep.state.installation(repo.installationId);
      return found ? { status: 200, body: installation(request.rep, found) } : notFound("repository has no installation");
    },
  },
};
