// Deployment settings the API server writes into index.html (a JSON data block, not a script),
// so one build serves every deployment. Unknown or malformed values fall back to defaults.

export type Locale = "zh-CN" | "en";

export interface RuntimeConfig {
  environment: string;
  defaultLocale: Locale;
  deploymentName: string;
  /** A tiled base map URL template ({z}/{x}/{y}); null means the bundled outline map only. */
  mapTileUrl: string | null;
}

export const DEFAULT_CONFIG: RuntimeConfig = {
  environment: "development",
  defaultLocale: "zh-CN",
  deploymentName: "NEVGuard",
  mapTileUrl: null,
};

const CONFIG_ELEMENT_ID = "nevguard-config";

function text(value: unknown, fallback: string): string {
  return typeof value === "string" && value.trim() !== "" ? value : fallback;
}

export function parseRuntimeConfig(raw: string | null | undefined): RuntimeConfig {
  let parsed: unknown = null;
  try {
    parsed = raw ? JSON.parse(raw) : null;
  } catch {
    parsed = null;
  }
  if (typeof parsed !== "object" || parsed === null) return DEFAULT_CONFIG;
  const given = parsed as Record<string, unknown>;
  return {
    environment: text(given.environment, DEFAULT_CONFIG.environment),
    defaultLocale: given.defaultLocale === "en" ? "en" : "zh-CN",
    deploymentName: text(given.deploymentName, DEFAULT_CONFIG.deploymentName),
    mapTileUrl: typeof given.mapTileUrl === "string" && given.mapTileUrl !== "" ? given.mapTileUrl : null,
  };
}

export function readRuntimeConfig(doc: Document = document): RuntimeConfig {
  return parseRuntimeConfig(doc.getElementById(CONFIG_ELEMENT_ID)?.textContent);
}
