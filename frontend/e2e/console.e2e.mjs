// The end-to-end scenarios: each is a function of (browser, world) that throws on failure.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { newPage } from "./browser.mjs";
import { signIn } from "./login.mjs";

const menuTexts = async (page) => (await page.getByTestId("side-menu").locator(".ant-menu-item").allInnerTexts()).map((text) => text.trim());

export const scenarios = {
  async "a viewer sees monitoring pages only and cannot open admin pages"(browser, world) {
    const page = await newPage(browser);
    await signIn(page, world, "viewer");
    const items = await menuTexts(page);
    assert.ok(!items.includes("用户"), `viewer menu shows admin pages: ${items}`);
    assert.ok(!items.includes("租户"), `viewer menu shows provider pages: ${items}`);
    for (const path of ["/admin/users", "/admin/api-clients", "/provider/tenants"]) {
      await page.goto(`${world.url}${path}`);
      await page.getByTestId("forbidden").waitFor();
    }
    await page.context().close();
  },

  async "a tenant admin signs in with the second factor, sees the users, checks a CSV import and sets the confirmation time"(browser, world) {
    const page = await newPage(browser);
    await signIn(page, world, "tenant_admin");
    assert.equal(await page.getByTestId("tenant-tag").innerText(), "租户：demo");
    await page.goto(`${world.url}/admin/users`);
    await page.getByText(world.users.viewer.email).waitFor();
    await page.getByText(world.users.safety_engineer.email).waitFor();
    await page.goto(`${world.url}/admin/registry`);
    await page.getByRole("button", { name: "批量导入" }).click();
    const csv = `vin,usage_type\nLSGJY05W0LT999991,private\nNOT-A-VIN,private\n${world.vins.demo[0]},operating\n`;
    await page.locator('.ant-modal input[type="file"]').setInputFiles({ name: "fleet.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await page.getByTestId("import-check").click();
    const report = page.getByTestId("import-report");
    await report.waitFor();
    await report.getByText("invalid_vin").waitFor();
    assert.match(await report.innerText(), /行数\s*3/);
    await page.keyboard.press("Escape");
    const vin = world.vins.demo[0];
    await page.getByPlaceholder("VIN 前缀").fill(vin);
    await page.keyboard.press("Enter");
    await page.getByTestId(`edit-vehicle-${vin}`).click();
    await page.getByTestId("vehicle-batch").fill("E2E-BATCH-7");
    await page.getByTestId("vehicle-save").click();
    await page.getByTestId("registry-vehicles").getByText("E2E-BATCH-7").waitFor();
    const entries = page.getByTestId("audit-table").locator("tbody tr.ant-table-row");
    const change = entries.filter({ hasText: "Mutation.updateVehicle" });
    await waitFor(
      async () => {
        await page.goto(`${world.url}/admin/audit?result=OK`);
        await entries.first().waitFor({ timeout: 5000 });
        return (await change.count()) > 0;
      },
      "the vehicle change in the audit log",
      30_000,
    );
    await change.first().click();
    await page.getByTestId("audit-drawer").getByTestId("audit-details").waitFor();
    assert.match(await page.getByTestId("audit-drawer").innerText(), /[0-9a-f]{64}/, "the drawer shows the chain hash");
    await page.keyboard.press("Escape");
    await page.goto(`${world.url}/admin/alarm-handling`);
    await page.getByTestId("rota-edit").click();
    const rota = page.getByTestId("rota-form");
    await page.getByTestId("rota-add-person").click();
    await rota.getByPlaceholder("标识").last().fill("e2e");
    await rota.getByPlaceholder("姓名").last().fill("夜班值守");
    await page.getByTestId("rota-add-shift").click();
    await rota.getByPlaceholder("08:00").last().fill("20:00");
    await rota.getByPlaceholder("20:00").last().fill("08:00");
    await rota.getByTestId("rota-shift-people").last().click();
    await page.locator(".ant-select-dropdown:visible").getByText("夜班值守 (e2e)").click();
    await page.getByTestId("rota-gap-preview").getByText("以下时段无人值班").waitFor();
    await page.getByTestId("rota-save").click();
    await page.getByText("次日结束").first().waitFor();
    const confirm = page.locator("#confirmMinutes");
    await waitFor(async () => (await confirm.inputValue()) === "15", "the handling settings", 15_000);
    await confirm.fill("20");
    await page.getByRole("button", { name: "保 存" }).click();
    await page.getByText("已保存").first().waitFor();
    await page.reload();
    await waitFor(async () => (await page.locator("#confirmMinutes").inputValue()) === "20", "the saved confirmation time", 15_000);
    await page.context().close();
  },

  async "the language switch turns the console to English and back, then sign out"(browser, world) {
    const page = await newPage(browser);
    await signIn(page, world, "safety_engineer");
    await page.getByTestId("language-switch").getByText("EN").click();
    await page.getByTestId("side-menu").getByText("Alarms", { exact: true }).waitFor();
    await page.reload();
    await page.getByTestId("side-menu").getByText("Alarms", { exact: true }).waitFor();
    await page.getByTestId("language-switch").getByText("中文").click();
    await page.getByTestId("side-menu").getByText("报警中心", { exact: true }).waitFor();
    await page.getByTestId("user-menu").hover();
    await page.getByText("退出登录").click();
    await page.getByTestId("login-email").waitFor();
    await page.goto(`${world.url}/dashboard`);
    await page.getByTestId("login-email").waitFor();
    await page.context().close();
  },

  async "a platform admin reaches the provider console"(browser, world) {
    const page = await newPage(browser);
    await signIn(page, world, "platform_admin");
    await page.goto(`${world.url}/provider/tenants`);
    await page.getByText("示范汽车 Demo Motors").waitFor();
    await page.goto(`${world.url}/provider/audit?operation=auth.login`);
    const entries = page.getByTestId("audit-table").locator("tbody tr.ant-table-row");
    await waitFor(async () => (await entries.count()) > 0, "sign-ins in the platform audit log", 15_000);
    await page.goto(`${world.url}/profile`);
    await page.getByTestId("profile").getByText(world.users.platform_admin.email).waitFor();
    await page.goto(`${world.url}/admin/users`);
    await page.getByTestId("forbidden").waitFor();
    await page.context().close();
  },

  async "vehicles appear live on the dashboard and in the list"(browser, world) {
    const page = await newPage(browser);
    await signIn(page, world, "safety_engineer");
    await page.goto(`${world.url}/dashboard`);
    await page.getByTestId("fleet-map").waitFor();
    await waitFor(async () => Number((await page.getByTestId("kpi-online").innerText()).replace(/\D/g, "")) > 0, "an online vehicle on the dashboard", 60_000);
    // The event list starts from the stored logins, not empty until the next one.
    await page.reload();
    await page.getByTestId("event-ticker").getByText("登入").first().waitFor({ timeout: 15_000 });
    await page.goto(`${world.url}/vehicles?state=online`);
    const rows = page.getByTestId("vehicle-table").locator("tbody tr.ant-table-row");
    await waitFor(async () => (await rows.count()) > 0, "online vehicles in the list", 30_000);
    assert.match(page.url(), /state=online/);
    await page.context().close();
  },

  async "a vehicle page shows the live panel, the newest record and a chart, and exports its data"(browser, world) {
    const page = await newPage(browser);
    await signIn(page, world, "safety_engineer");
    await page.goto(`${world.url}/vehicles?state=online`);
    const link = page.getByTestId("vehicle-table").locator("tbody tr.ant-table-row a").first();
    await link.waitFor({ timeout: 30_000 });
    const vin = (await link.innerText()).trim();
    await link.click();
    await page.getByTestId("live-panel").waitFor();
    // The newest record in full: an online vehicle reports its total voltage.
    const record = page.getByTestId("latest-record");
    await record.waitFor({ timeout: 30_000 });
    await record.getByText(/\d V$/).first().waitFor();
    await page.getByRole("tab", { name: "数据曲线" }).click();
    await page.locator('[data-testid="history-charts"][data-rendered="true"]').waitFor({ timeout: 30_000 });
    assert.ok((await page.getByTestId("chart-speed").locator("canvas").count()) > 0, "the speed chart has a canvas");
    // The data behind the charts as a CSV download, readable by spreadsheet programs.
    const [file] = await Promise.all([page.waitForEvent("download"), page.getByTestId("history-export").click()]);
    const csv = await readFile(await file.path(), "utf8");
    assert.match(csv, /^\uFEFF时间 \(UTC[+-]\d\d:\d\d\),车速 \(km\/h\)/);
    assert.ok(csv.split("\r\n").length > 3, "the CSV has data rows");
    assert.match(file.suggestedFilename(), new RegExp(`^${vin}_\\d{14}_\\d{14}\\.csv$`));
    assert.match(page.url(), new RegExp(`/vehicles/${vin}\\?tab=charts`));
    await page.context().close();
  },

  async "an alarm raised by a simulated fault reaches the alarms console"(browser, world) {
    const page = await newPage(browser);
    await signIn(page, world, "safety_engineer");
    await page.goto(`${world.url}/alarms`);
    const rows = page.getByTestId("alarm-table").locator("tbody tr.ant-table-row");
    await waitFor(async () => (await rows.count()) > 0, "an alarm event", 150_000);
    await rows.first().click();
    await page.locator(".ant-drawer-body").getByText(/^L[A-Z0-9]{16}$/).waitFor();
    await page.context().close();
  },

  async "a safety engineer acknowledges and disposes the case of a simulated fault's alarm"(browser, world) {
    const page = await newPage(browser);
    await signIn(page, world, "safety_engineer");
    await page.goto(`${world.url}/alarms?tab=cases&caseState=OPEN`);
    const rows = page.getByTestId("case-table").locator("tbody tr.ant-table-row");
    await waitFor(async () => (await rows.count()) > 0, "an open alarm case", 120_000);
    await rows.first().click();
    const drawer = page.getByTestId("case-drawer");
    await drawer.getByTestId("case-acknowledge").click();
    await page.getByTestId("case-comment").fill("e2e: 已联系车主");
    await page.getByTestId("case-action-ok").click();
    await drawer.getByText("已确认").first().waitFor();
    await drawer.getByTestId("case-dispose").click();
    await page.getByTestId("case-disposition").click();
    await page.locator(".ant-select-dropdown").getByText("误报").click();
    await page.getByTestId("case-action-ok").click();
    await drawer.getByTestId("case-details").getByText("已处置").waitFor();
    await drawer.getByText("e2e: 已联系车主").waitFor();
    const photo = Buffer.from("e2e evidence: 仪表照片");
    await drawer.getByTestId("case-evidence").locator('input[type="file"]').setInputFiles({ name: "仪表 照片.txt", mimeType: "text/plain", buffer: photo });
    const link = drawer.getByTestId("evidence-link").filter({ hasText: "仪表 照片.txt" });
    await link.waitFor();
    const download = await fetch(await link.getAttribute("href"));
    assert.equal(download.status, 200);
    assert.deepEqual(Buffer.from(await download.arrayBuffer()), photo);
    await page.context().close();
  },
};

async function waitFor(check, what, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
