import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A stand-in for the Hetzner Cloud API on 127.0.0.1 whose answers wait until the test releases
 * them: the real hcloud provider, planning a data source, then waits like it would for a slow
 * cloud API. That makes "a plan is running" a state a test can hold, with real tofu.
 */
export interface HeldHcloudApi {
  /** The provider's `endpoint`. */
  readonly url: string;
  /** Requests received so far (the plan reached the data source). */
  requests(): number;
  /** Answers every waiting request, and every later one at once. */
  release(): void;
  close(): Promise<void>;
}

const LOCATIONS = {
  locations: [{ id: 1, name: "fsn1", description: "Falkenstein DC Park 1", country: "DE", city: "Falkenstein", latitude: 50.47612, longitude: 12.370071, network_zone: "eu-central" }],
  meta: { pagination: { page: 1, per_page: 25, previous_page: null, next_page: null, last_page: 1, total_entries: 1 } },
};

export async function startHeldHcloudApi(): Promise<HeldHcloudApi> {
  let released = false;
  let count = 0;
  const waiting: ServerResponse[] = [];
  const answer = (res: ServerResponse) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(LOCATIONS));
  const server = createServer((req, res) => {
    count++;
    if (!req.url?.startsWith("/v1/locations")) return void res.writeHead(404, { "content-type": "application/json" }).end('{"error":{"code":"not_found","message":"not found"}}');
    if (released) answer(res);
    else waiting.push(res);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    requests: () => count,
    release() {
      released = true;
      for (const res of waiting.splice(0)) answer(res);
    },
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** A project whose plan reads a location from `api` (and so waits for it). */
export function slowProject(api: HeldHcloudApi, name: string): Record<string, string> {
  return {
    [`projects/${name}/main.tf`]: `terraform {
  required_providers {
    hcloud = {
      source  = "hetznercloud/hcloud"
      version = "1.68.0"
    }
  }
}

provider "hcloud" {
  token    = "0000000000000000000000000000000000000000000000000000000000000000"
  endpoint = "${api.url}"
}

data "hcloud_location" "here" {
  name = "fsn1"
}

resource "terraform_data" "site" {
  input = data.hcloud_location.here.city
}
`,
  };
}
