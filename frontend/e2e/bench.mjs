// Browser timings of the console for bench/frontend.py (which seeds the data, starts the API
// and passes everything in the environment). Prints one JSON object.
import { launch, newPage } from "./browser.mjs";

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (bench/frontend.py sets it)`);
  return value;
};
const url = env("NEVGUARD_BENCH_URL");
const runs = Number(process.env.NEVGUARD_BENCH_RUNS ?? 5);
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function signedInPage(browser) {
  const page = await newPage(browser);
  const answer = await page.context().request.post(`${url}/auth/login`, { data: { email: env("NEVGUARD_BENCH_EMAIL"), password: env("NEVGUARD_BENCH_PASSWORD"), session: "cookie" } });
  if (!answer.ok()) throw new Error(`login failed: ${answer.status()} ${await answer.text()}`);
  return page;
}

// First load: a fresh context each run (empty HTTP cache), from navigation to the KPIs showing
// numbers and the map drawn with the fleet's positions.
async function dashboardFirstLoad(browser) {
  const page = await signedInPage(browser);
  const started = Date.now();
  await page.goto(`${url}/dashboard`);
  await page.waitForFunction(() => /\d/.test(document.querySelector('[data-testid="kpi-total"]')?.textContent ?? ""));
  await page.locator('[data-testid="fleet-map-card"][data-loaded="true"]').waitFor();
  await page.locator('[data-testid="fleet-map"] canvas').waitFor();
  const elapsed = Date.now() - started;
  const transferred = await page.evaluate(() => performance.getEntriesByType("resource").reduce((sum, entry) => sum + (entry.transferSize ?? 0), 0));
  await page.context().close();
  return { ms: elapsed, transferredBytes: transferred };
}

// One vehicle x one day: from navigation to every history chart drawn ("finished").
async function vehicleDayCharts(browser, warm) {
  const page = await signedInPage(browser);
  if (warm) await page.goto(`${url}/profile`);
  const target = `${url}/vehicles/${env("NEVGUARD_BENCH_VIN")}?tab=charts&from=${env("NEVGUARD_BENCH_FROM")}&to=${env("NEVGUARD_BENCH_TO")}`;
  const started = Date.now();
  await page.goto(target);
  await page.locator('[data-testid="history-charts"][data-rendered="true"]').waitFor({ timeout: 60_000 });
  const elapsed = Date.now() - started;
  await page.context().close();
  return { ms: elapsed };
}

// The chart alone: the vehicle page is open on its live tab; from the click on the charts tab to
// every chart drawn (the day's history read through the API and rendered).
async function vehicleDayChartsOnly(browser) {
  const page = await signedInPage(browser);
  await page.goto(`${url}/vehicles/${env("NEVGUARD_BENCH_VIN")}?tab=live&from=${env("NEVGUARD_BENCH_FROM")}&to=${env("NEVGUARD_BENCH_TO")}`);
  await page.getByTestId("live-panel").waitFor();
  const started = Date.now();
  await page.getByRole("tab", { name: "数据曲线" }).click();
  await page.locator('[data-testid="history-charts"][data-rendered="true"]').waitFor({ timeout: 60_000 });
  const elapsed = Date.now() - started;
  await page.context().close();
  return { ms: elapsed };
}

const browser = await launch();
try {
  const dashboard = [];
  const chartsCold = [];
  const chartsWarm = [];
  const chartsOnly = [];
  for (let run = 0; run < runs; run += 1) {
    dashboard.push(await dashboardFirstLoad(browser));
    chartsCold.push(await vehicleDayCharts(browser, false));
    chartsWarm.push(await vehicleDayCharts(browser, true));
    chartsOnly.push(await vehicleDayChartsOnly(browser));
  }
  console.log(
    JSON.stringify({
      runs,
      dashboardFirstLoadMs: { median: median(dashboard.map((r) => r.ms)), all: dashboard.map((r) => r.ms) },
      dashboardTransferredBytes: median(dashboard.map((r) => r.transferredBytes)),
      vehicleDayChartsColdMs: { median: median(chartsCold.map((r) => r.ms)), all: chartsCold.map((r) => r.ms) },
      vehicleDayChartsWarmMs: { median: median(chartsWarm.map((r) => r.ms)), all: chartsWarm.map((r) => r.ms) },
      vehicleDayChartRenderMs: { median: median(chartsOnly.map((r) => r.ms)), all: chartsOnly.map((r) => r.ms) },
    }),
  );
} finally {
  await browser.close();
}
