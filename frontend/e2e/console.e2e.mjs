// The end-to-end scenarios: each is a function of (browser, world) that throws on failure.
import assert from "node:assert/strict";
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

  async "a tenant admin signs in with the second factor and manages users"(browser, world) {
    const page = await newPage(browser);
    await signIn(page, world, "tenant_admin");
    assert.equal(await page.getByTestId("tenant-tag").innerText(), "租户：demo");
    await page.goto(`${world.url}/admin/users`);
    await page.getByText(world.users.viewer.email).waitFor();
    await page.getByText(world.users.safety_engineer.email).waitFor();
    await page.context().close();
  },

  async "the language switch turns the console to English and back"(browser, world) {
    const page = await newPage(browser);
    await signIn(page, world, "safety_engineer");
    await page.getByTestId("language-switch").getByText("EN").click();
    await page.getByTestId("side-menu").getByText("Alarms", { exact: true }).waitFor();
    await page.reload();
    await page.getByTestId("side-menu").getByText("Alarms", { exact: true }).waitFor();
    await page.getByTestId("language-switch").getByText("中文").click();
    await page.getByTestId("side-menu").getByText("报警中心", { exact: true }).waitFor();
    await page.context().close();
  },

  async "a platform admin reaches the provider console"(browser, world) {
    const page = await newPage(browser);
    await signIn(page, world, "platform_admin");
    await page.goto(`${world.url}/provider/tenants`);
    await page.getByText("示范汽车 Demo Motors").waitFor();
    await page.goto(`${world.url}/admin/users`);
    await page.getByTestId("forbidden").waitFor();
    await page.context().close();
  },
};
