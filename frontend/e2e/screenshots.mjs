// Screenshots of the console's main pages against the real platform with simulated vehicles,
// written to docs/screenshots/ (scripts/screenshots runs this after building the app).
import { mkdirSync } from "node:fs";
import path from "node:path";
import { launch, newPage } from "./browser.mjs";
import { signIn } from "./login.mjs";
import { ROOT, startStack } from "./stack.mjs";

const OUT = path.join(ROOT, "docs", "screenshots");
const WARMUP_MS = Number(process.env.NEVGUARD_SCREENSHOT_WARMUP_MS ?? 45_000);
mkdirSync(OUT, { recursive: true });

async function shoot(page, url, name, ready) {
  await page.goto(url);
  if (ready) await ready(page);
  await page.waitForLoadState("networkidle").catch(() => {});
  await page.waitForTimeout(1500);
  await page.screenshot({ path: path.join(OUT, `${name}.png`) });
  console.log(`wrote docs/screenshots/${name}.png`);
}

const stack = startStack({ vehicles: 40, faultFraction: 0.4, interval: 2, duration: "10m" });
try {
  const world = await stack.ready;
  const browser = await launch();
  try {
    const login = await newPage(browser);
    await shoot(login, `${world.url}/login`, "login");
    await login.context().close();

    // Let the simulated fleet report for a while, so charts and maps have something to show.
    await new Promise((resolve) => setTimeout(resolve, WARMUP_MS));
    const admin = await newPage(browser);
    await signIn(admin, world, "tenant_admin");
    const vin = world.vins.demo[0];
    await shoot(admin, `${world.url}/dashboard`, "dashboard", (page) => page.getByTestId("fleet-map").waitFor());
    await shoot(admin, `${world.url}/vehicles`, "vehicles", (page) => page.getByTestId("vehicle-table").locator("tbody tr").first().waitFor());
    await shoot(admin, `${world.url}/vehicles/${vin}?tab=live`, "vehicle-live", (page) => page.getByTestId("live-panel").waitFor());
    await shoot(admin, `${world.url}/vehicles/${vin}?tab=charts&range=1h`, "vehicle-charts", (page) => page.locator('[data-testid="history-charts"][data-rendered="true"]').waitFor({ timeout: 30_000 }));
    await shoot(admin, `${world.url}/vehicles/${vin}?tab=battery&range=1h`, "vehicle-battery", (page) => page.getByTestId("matrix-CELL_VOLTAGES").waitFor({ timeout: 30_000 }));
    await shoot(admin, `${world.url}/vehicles/${vin}?tab=track&range=1h`, "vehicle-track", (page) => page.getByTestId("track-replay").waitFor({ timeout: 30_000 }));
    await shoot(admin, `${world.url}/vehicles/${vin}?tab=frames&range=1h`, "vehicle-frames", async (page) => {
      await page.getByTestId("raw-frames").locator("tbody tr.ant-table-row").first().waitFor();
      await page.getByTestId("raw-frames").locator("button.ant-table-row-expand-icon").first().click();
    });
    await shoot(admin, `${world.url}/alarms`, "alarms", (page) => page.getByTestId("alarm-table").locator("tbody tr.ant-table-row").first().waitFor({ timeout: 240_000 }));
    await shoot(admin, `${world.url}/alarms?tab=cases`, "alarm-cases", async (page) => {
      await page.getByTestId("case-table").locator("tbody tr.ant-table-row").first().waitFor({ timeout: 240_000 });
      await page.getByTestId("case-table").locator("tbody tr.ant-table-row").first().click();
      await page.getByTestId("case-details").waitFor();
    });
    await shoot(admin, `${world.url}/alarms?tab=statistics&range=24h`, "alarm-statistics", (page) => page.getByTestId("alarm-statistics").waitFor());
    await shoot(admin, `${world.url}/admin/alarm-rules`, "admin-alarm-rules");
    await shoot(admin, `${world.url}/admin/registry`, "admin-registry");
    await shoot(admin, `${world.url}/admin/alarm-handling`, "admin-alarm-handling");
    await shoot(admin, `${world.url}/admin/alarm-handling`, "admin-rota-editor", async (page) => {
      await page.getByTestId("rota-edit").click();
      const rota = page.getByTestId("rota-form");
      for (const [key, name, phone] of [["wang", "王工", "13800000001"], ["li", "李工", "13800000002"]]) {
        await page.getByTestId("rota-add-person").click();
        await rota.getByPlaceholder("标识").last().fill(key);
        await rota.getByPlaceholder("姓名").last().fill(name);
        await rota.getByPlaceholder("电话").last().fill(phone);
      }
      for (const [start, end, who] of [["08:00", "20:00", "王工 (wang)"], ["20:00", "08:00", "李工 (li)"]]) {
        await page.getByTestId("rota-add-shift").click();
        await rota.getByPlaceholder("08:00").last().fill(start);
        await rota.getByPlaceholder("20:00").last().fill(end);
        await rota.getByTestId("rota-shift-people").last().click();
        // The newest dropdown: the previous shift's may still be fading out.
        await page.locator(".ant-select-dropdown:visible").last().getByText(who).click();
        await page.locator(".ant-modal-title").click();
        await page.locator(".ant-select-dropdown:visible").first().waitFor({ state: "hidden" });
      }
    });
    await shoot(admin, `${world.url}/admin/audit`, "admin-audit", async (page) => {
      await page.getByTestId("audit-table").locator("tbody tr.ant-table-row").first().click();
      await page.getByTestId("audit-details").waitFor();
    });
    await shoot(admin, `${world.url}/admin/users`, "admin-users", (page) => page.getByText(world.users.viewer.email).waitFor());
    await shoot(admin, `${world.url}/admin/roles`, "admin-roles");
    await admin.context().close();

    const provider = await newPage(browser);
    await signIn(provider, world, "platform_admin");
    await shoot(provider, `${world.url}/provider/health`, "provider-health");
    await shoot(provider, `${world.url}/provider/tenants`, "provider-tenants", (page) => page.getByText("示范汽车 Demo Motors").waitFor());
    await shoot(provider, `${world.url}/provider/audit`, "provider-audit", (page) => page.getByTestId("audit-table").locator("tbody tr.ant-table-row").first().waitFor());
    await provider.context().close();
  } finally {
    await browser.close();
  }
} finally {
  await stack.stop();
}
