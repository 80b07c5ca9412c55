import { generateKeyPair } from "node:crypto";
import { promisify } from "node:util";
import { App } from "@octokit/app";
import { Octokit } from "@octokit/core";
import { restEndpointMethods } from "@octokit/plugin-rest-endpoint-methods";
import { afterEach, expect } from "vitest";
import { createFakeGitHub } from "../../src/simulator/index.js";
import type { FakeGitHub, FakeGitHubOptions } from "../../src/simulator/index.js";

export const RestOctokit = Octokit.plugin(restEndpointMethods);
export type RestClient = InstanceType<typeof RestOctokit>;

export const OWNER = "acme";
export const REPO = "infra";
export const HEAD_SHA = "1111111111111111111111111111111111111111";
export const NEW_HEAD_SHA = "2222222222222222222222222222222222222222";

/**
 * One fake per test, closed afterwards; each test must leave no contract violations unless it
 * takes them (`fake.takeViolations()`) to assert on them. The app key is made once per file:
 * RSA key generation is the slowest part of starting a fake.
 */
export function useFakeGitHub() {
  const open: FakeGitHub[] = [];
  afterEach(async () => {
    const fakes = open.splice(0);
    await Promise.all(fakes.map((f) => f.close()));
    for (const fake of fakes) expect(fake.violations).toEqual([]);
  });
  let privateKey: Promise<string> | undefined;
  return {
    async start(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
      privateKey ??= newAppKey();
      const fake = await createFakeGitHub({ privateKey: await privateKey, ...options });
      open.push(fake);
      return fake;
    },
  };
}


/** A repository with one open PR by `alice`, as most tests want. */
export function seedPullRequest(fake: FakeGitHub) {
  const repo = fake.state.addRepo({ owner: OWNER, name: REPO, cloneUrl: "file:///tmp/acme-infra.git" });
  const pr = fake.state.addPullRequest({ owner: OWNER, repo: REPO, user: "alice", headSha: HEAD_SHA, headRef: "change-network", title: "Change the network" });
  return { repo, pr };
}

/** The real production path: App JWT → installation token → installation Octokit. */
export async function installationClient(fake: FakeGitHub, installationId: number): Promise<RestClient> {
  const app = new App({ appId: fake.appId, privateKey: fake.privateKey, Octokit: RestOctokit.defaults({ baseUrl: fake.url }) });
  return (await app.getInstallationOctokit(installationId)) as unknown as RestClient;
}

/** A client with a raw Authorization header (or none), to test what GitHub refuses. */
export function rawClient(fake: FakeGitHub, auth?: string): RestClient {
  return new RestOctokit({ baseUrl: fake.url, ...(auth ? { auth } : {}) });
}

export interface CallFailure {
  readonly status: number;
  readonly message: string;
  readonly response: { readonly headers: Record<string, string | undefined>; readonly data: unknown };
}

/** The error of an Octokit call that must fail. */
export async function failureOf(call: Promise<unknown>): Promise<CallFailure> {
  try {
    await call;
  } catch (err) {
    return err as CallFailure;
  }
  throw new Error("expected the call to fail");
}

/** The HTTP status of an Octokit call that must fail. */
export async function statusOf(call: Promise<unknown>): Promise<number> {
  return (await failureOf(call)).status;
}

/** Octokit's request without its route typings, to send what the typings would refuse. */
export function untypedRequest(octokit: RestClient): (route: string, params: Record<string, unknown>) => Promise<unknown> {
  return (route, params) => octokit.request(route, params);
}

export async function newAppKey(): Promise<string> {
  const { privateKey } = await promisify(generateKeyPair)("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  return privateKey;
}
