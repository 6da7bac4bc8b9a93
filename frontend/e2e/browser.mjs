// Debian's Chromium driven by playwright-core, with the flags this machine needs (no network
// beyond loopback: Chromium's background services are switched off). playwright-core gives
// every launch a fresh temporary profile; every user of a test gets a context of its own.
import { chromium } from "playwright-core";

export const CHROMIUM = process.env.NEVGUARD_CHROMIUM ?? "/usr/bin/chromium";
const FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"];

export async function launch() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
}

export async function newPage(browser, { locale = "zh-CN", width = 1440, height = 900 } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, locale });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return page;
}
