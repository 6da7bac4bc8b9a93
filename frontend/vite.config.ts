import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

// The API serves the built app (one origin, cookie auth); in development the Vite server
// forwards the API's routes to it, so the same relative URLs work in both.
const apiTarget = process.env.NEVGUARD_API_URL ?? "http://127.0.0.1:18080";

export default defineConfig({
  plugins: [react()],
  build: { outDir: "dist", chunkSizeWarningLimit: 1500 },
  server: {
    proxy: {
      "/graphql": { target: apiTarget, ws: true },
      "/auth": { target: apiTarget },
      "/healthz": { target: apiTarget },
      "/config.json": { target: apiTarget },
    },
  },
  test: {
    environment: "node",
    include: ["src/**/*.test.{ts,tsx}"],
    testTimeout: 10000,
  },
});
