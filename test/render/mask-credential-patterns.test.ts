import { describe, expect, it } from "vitest";
import { maskCredentialPatterns } from "../../src/domain/render/mask-credential-patterns.js";

describe("maskCredentialPatterns", () => {
  it.each([
    ["an installation token", "token ghs_16C7e42F292c6912E7710c838347Ae178B4a expired", "token ghs_*** expired"],
    ["a fine-grained token", "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuv", "github_pat_***"],
    ["URL credentials", "https://x-access-token:abc.def@ghe.example.com/o/r.git", "https://x-access-token:***@ghe.example.com/o/r.git"],
    ["an Authorization header in JSON", '{"authorization":"token abcdef123456"}', '{"authorization":"token ***"}'],
    ["git's extra header", "http.extraHeader=Authorization: Basic eC1hY2Nlc3M=", "http.extraHeader=Authorization: Basic ***"],
    ["a cut-off private key", "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC", "***"],
  ])("masks %s", (_name, text, expected) => {
    expect(maskCredentialPatterns(text)).toBe(expected);
  });

  it.each([
    "https://github.com/acme/infra.git",
    "ghost_town and gh_pages",
    "authorization required: ask an SRE",
    "plan: 3 to add, 0 to change, 0 to destroy",
    "ssh://git@github.com:22/acme/infra.git",
  ])("leaves %s alone", (text) => {
    expect(maskCredentialPatterns(text)).toBe(text);
  });
});
