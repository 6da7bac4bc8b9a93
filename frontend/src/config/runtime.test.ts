import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG, parseRuntimeConfig } from "./runtime";

describe("parseRuntimeConfig", () => {
  it("reads what the server wrote", () => {
    const config = parseRuntimeConfig(
      JSON.stringify({ environment: "production", defaultLocale: "en", deploymentName: "Acme", mapTileUrl: "https://t.example/{z}/{x}/{y}.png" }),
    );
    expect(config).toEqual({ environment: "production", defaultLocale: "en", deploymentName: "Acme", mapTileUrl: "https://t.example/{z}/{x}/{y}.png" });
  });

  it.each([null, "", "{}", "not json", "[1,2]", "42"])("falls back to defaults for %j", (raw) => {
    expect(parseRuntimeConfig(raw)).toEqual(DEFAULT_CONFIG);
  });

  it("ignores values of the wrong kind", () => {
    const config = parseRuntimeConfig(JSON.stringify({ defaultLocale: "fr", deploymentName: 7, mapTileUrl: "", environment: " " }));
    expect(config).toEqual(DEFAULT_CONFIG);
  });
});
