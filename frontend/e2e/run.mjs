// End-to-end tests of the built console against the real backend (npm run e2e; needs
// `vite build` first and the services of scripts/services in the environment).
import { existsSync } from "node:fs";
import path from "node:path";
import { launch } from "./browser.mjs";
import { scenarios } from "./console.e2e.mjs";
import { ROOT, startStack } from "./stack.mjs";

const only = process.argv[2];
if (!existsSync(path.join(ROOT, "frontend", "dist", "index.html"))) {
  console.error("frontend/dist is missing: run `npm run build` first");
  process.exit(2);
}

// Faults set in within the first 40 % of the simulated run, so alarms show within minutes.
const stack = startStack({ vehicles: 12, faultFraction: 0.5, duration: "4m" });
let passed = 0;
let failed = 0;
try {
  const world = await stack.ready;
  const browser = await launch();
  try {
    for (const [name, scenario] of Object.entries(scenarios)) {
      if (only && !name.includes(only)) continue;
      const started = Date.now();
      try {
        await scenario(browser, world);
        passed += 1;
        console.log(`ok    ${name} (${Date.now() - started} ms)`);
      } catch (error) {
        failed += 1;
        console.log(`FAIL  ${name} (${Date.now() - started} ms)\n      ${String(error?.stack ?? error).split("\n").slice(0, 6).join("\n      ")}`);
      }
    }
  } finally {
    await browser.close();
  }
} catch (error) {
  failed += 1;
  console.log(`FAIL  e2e setup: ${error?.message ?? error}`);
} finally {
  await stack.stop();
}
console.log(`e2e: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
