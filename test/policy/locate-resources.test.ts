import { describe, expect, it } from "vitest";
import { configDirsOf, createResourceLocator, moduleNames } from "../../src/domain/policy/locate-resources.js";

// The `configuration` section as tofu writes it (format 1.2): module calls with their literal
// `source` and nested `module`, and no source positions.
const plan = {
  format_version: "1.2",
  configuration: {
    root_module: {
      module_calls: {
        network: { source: "../../modules/network", module: { module_calls: { labels: { source: "../labels", module: {} } } } },
        remote: { source: "hetznercloud/network/hcloud", module: {} },
      },
    },
  },
};

const files = new Map<string, string>([
  ["projects/kirare/main.tf", 'locals {\n  x = 1\n}\n\nresource "hcloud_firewall" "web" {\n  name = "w"\n}\n\n  resource hcloud_server "plain" {\n}\n'],
  ["projects/kirare/dup.tf", 'resource "hcloud_server" "twice" {}\n'],
  ["projects/kirare/dup2.tf", 'resource "hcloud_server" "twice" {}\n'],
  ["projects/kirare/old.tf", 'resource "hcloud_server" "shadowed" {}\n'],
  ["projects/kirare/old.tofu", '\nresource "hcloud_server" "shadowed" {}\n'],
  ["projects/kirare/x_override.tf", 'resource "hcloud_firewall" "web" {\n  name = "o"\n}\n'],
  ["modules/network/main.tf", '# net\nresource "hcloud_network" "this" {\n}\n'],
]);

describe("createResourceLocator", () => {
  const locate = createResourceLocator({ planJson: plan, projectDir: "projects/kirare", files });

  it("finds resource blocks in the project and in local modules", () => {
    expect(locate({ type: "hcloud_firewall", name: "web" })).toEqual({ file: "projects/kirare/main.tf", line: 5 });
    expect(locate({ type: "hcloud_server", name: "plain" })).toEqual({ file: "projects/kirare/main.tf", line: 9 });
    expect(locate({ module_address: "module.network", type: "hcloud_network", name: "this" })).toEqual({ file: "modules/network/main.tf", line: 2 });
    // .tofu wins over the .tf of the same name, as in OpenTofu.
    expect(locate({ type: "hcloud_server", name: "shadowed" })).toEqual({ file: "projects/kirare/old.tofu", line: 2 });
  });

  it("gives no location rather than a wrong one", () => {
    expect(locate({ type: "hcloud_server", name: "twice" })).toBeUndefined();
    expect(locate({ module_address: "module.remote", type: "hcloud_network", name: "this" })).toBeUndefined();
    expect(locate({ module_address: "module.missing", type: "hcloud_network", name: "this" })).toBeUndefined();
    expect(locate({ type: "hcloud_server", name: "nowhere" })).toBeUndefined();
  });

  it("lists the directories whose files it needs", () => {
    expect(configDirsOf(plan, "projects/kirare")).toEqual(["projects/kirare", "modules/network", "modules/labels"]);
  });

  it("parses module addresses with instance keys", () => {
    expect(moduleNames('module.a["x.module.y]"].module.b[0]')).toEqual(["a", "b"]);
    expect(moduleNames("module.a")).toEqual(["a"]);
    expect(moduleNames("modulex.a")).toBeNull();
  });
});
