import type { FakeGitHubState } from "../fake-github-state.js";

/** What every representation needs: where the API and the web UI live, and the records. */
export interface RepresentationContext {
  /** The fake's own base URL: API links point back at it, so a client could follow them. */
  readonly apiUrl: string;
  /** Web links (html_url); https://github.com unless told otherwise. */
  readonly htmlUrl: string;
  readonly appId: number;
  readonly appOwner: string;
  readonly state: FakeGitHubState;
}

/** GitHub's timestamps have second precision. */
export function iso(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function nodeId(kind: string, id: number): string {
  return Buffer.from(`0:${kind}${id}`).toString("base64").replace(/=+$/, "");
}

export function encodeLogin(login: string): string {
  return encodeURIComponent(login);
}
