import { app, appFromManifest, installation, installationToken } from "../representations/app-representation.js";
import type { OperationHandler } from "./operation-handler.js";
import { intParam, isResponse, notFound, visibleRepo } from "./operation-handler.js";

/** Operations authenticated as the app itself (JWT), and the manifest flow's conversion. */
export const appHandlers: Readonly<Record<string, OperationHandler>> = {
  "apps/create-from-manifest": {
    auth: "anonymous",
    handle: (request) => {
      const created = request.rep.state.redeemManifestCode(request.params.code ?? "");
      // Unknown, already redeemed and expired codes look the same from outside.
      return created ? { status: 201, body: appFromManifest(request.rep, created) } : notFound("no pending manifest code (unknown, used or expired)");
    },
  },
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
