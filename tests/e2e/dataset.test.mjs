// End-to-end: a small dataset submitted from the dashboard's form in Debian's Chromium against the real `live2 serve`
// (local executor, real live2-sim): a refused sweep value is shown on its input, the accepted 2 x 2 x 2 sweep's grid
// reaches completed and its outcome plot (live2-sim combine's dataset_summary.json) shows its points, and a run's page shows its sweep values, seed, its own files (which download) and charts.
// Environment as dashboard.test.mjs (LIVE2_BIN_DIR, LIVE2_WEB_DIR, LIVE2_E2E_SCREENSHOTS).

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { launchChromium } from "./support/browser.mjs";
import { startLive2 } from "./support/live2Server.mjs";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const binDir = resolve(process.env.LIVE2_BIN_DIR ?? join(repoRoot, "build/bin"));
const webDir = resolve(process.env.LIVE2_WEB_DIR ?? join(repoRoot, "web/dist"));
const screenshotDir = process.env.LIVE2_E2E_SCREENSHOTS;

const DATASET_DONE_TIMEOUT_MS = 60_000;

let server;
let browser;
let page;
let datasetId;

const fieldId = (path) => `field-${path.replace(/[^A-Za-z0-9_]+/g, "-")}`;
const input = (path) => page.locator(`#${fieldId(path)}`);
const configInput = (name) => input(`params.simulation_config.config.${name}`);

before(async () => {
  server = await startLive2({ binDir, webDir });
  const apiKey = await server.createKey("e2e-dataset", "research");
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(server.baseUrl);
  await page.getByLabel("API key").fill(apiKey);
  await page.getByLabel("API key").press("Enter");
  await page.getByRole("heading", { name: "Jobs" }).waitFor();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test("lists typed into the form make a dataset: its run count first, a refused value next to its input", async () => {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "New job" }).click();
  await page.getByRole("heading", { name: "New simulation" }).waitFor();
  await configInput("num_particles").fill("200");
  await configInput("steps").fill("300");
  await configInput("temperature").fill("300, 99999");
  await input("params.simulation_config.config.composition.C").fill("0.1, 0.2");
  await input("params.replicas").fill("2");
  await page.locator(".run-count[data-runs='8']").waitFor();
  assert.match(await page.locator(".run-count").innerText(), /8 runs: 2 temperature × 2 composition\.C values × 2 replicas/);

  await page.getByRole("button", { name: "Submit dataset" }).click();
  // The server names params.sweep.temperature[1]; the form puts it on the temperature input, as the second value.
  const temperature = page.locator(`#${fieldId("params.simulation_config.config.temperature")}-error`);
  await temperature.waitFor();
  assert.match(await temperature.innerText(), /^value 2: /);
  assert.equal(await configInput("temperature").getAttribute("aria-invalid"), "true");
  assert.equal(new URL(page.url()).pathname, "/jobs/new");
});

test("the dataset's grid of runs reaches completed, with the run counts", { timeout: DATASET_DONE_TIMEOUT_MS + 15_000 }, async () => {
  await configInput("temperature").fill("300 600");
  await page.getByRole("button", { name: "Submit dataset" }).click();
  await page.waitForURL(/\/jobs\/job_[0-9a-z]{20,}$/);
  datasetId = decodeURIComponent(new URL(page.url()).pathname.split("/").pop());

  // temperature down, composition.C across, the two replicas of a point inside its cell.
  const grid = page.locator("table.run-grid");
  await grid.waitFor();
  assert.deepEqual(await grid.locator("thead th").allTextContents(), ["temperature ↓ / composition.C →", "0.1", "0.2"]);
  assert.deepEqual(await grid.locator("tbody th").allTextContents(), ["300", "600"]);
  assert.deepEqual(
    await grid.locator("td.run-cell").evaluateAll((cells) => cells.map((cell) => cell.querySelectorAll("a.run").length)),
    [2, 2, 2, 2],
  );
  assert.equal(await page.locator("dd[data-count='total']").innerText(), "8");

  await page.locator('.page-head .badge[data-status="completed"]').waitFor({ timeout: DATASET_DONE_TIMEOUT_MS });
  await page.locator("dd[data-count='completed']").filter({ hasText: /^8$/ }).waitFor();
  await grid.locator("a.run-completed").nth(7).waitFor({ timeout: 10_000 });
  assert.equal(await grid.locator("a.run").count(), 8);
  assert.equal(await page.getByRole("progressbar", { name: "Progress" }).getAttribute("aria-valuenow"), "100");
  // The dataset's artifacts list leaves each run's files to the run's page.
  assert.equal(await page.locator('.artifacts a[data-artifact^="runs/"]').count(), 0);

  // The outcome plot of live2-sim combine's dataset_summary.json: final_molecules against temperature, one series
  // per carbon fraction, each point the mean of its 2 replicas with a 95 % interval.
  const plot = page.locator(".outcome-plot figure");
  await page.locator("#outcome-chart canvas").waitFor({ timeout: 10_000 });
  assert.equal(await plot.getAttribute("data-points"), "4");
  assert.deepEqual(await plot.locator(".chart-series").allInnerTexts(), ["composition.C=0.1", "composition.C=0.2"]);
  await page.locator(".outcome-values summary").click();
  const rows = await page
    .locator(".outcome-table tbody tr")
    .evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((cell) => cell.textContent.trim())));
  assert.deepEqual(rows.map((row) => [row[0], row[1], row[2]]), [
    ["composition.C=0.1", "300", "2"],
    ["composition.C=0.1", "600", "2"],
    ["composition.C=0.2", "300", "2"],
    ["composition.C=0.2", "600", "2"],
  ]);
  for (const row of rows) assert.match(row[4], /^-?[\d.,]+ – -?[\d.,]+$/, row.join(" | "));
  // The other swept field on x: the series swap.
  await page.selectOption(`#${fieldId("outcome-plot.x")}`, "composition.C");
  assert.deepEqual(await plot.locator(".chart-series").allInnerTexts(), ["temperature=300", "temperature=600"]);
  assert.equal(await plot.getAttribute("data-points"), "4");
  if (screenshotDir) await page.screenshot({ path: join(screenshotDir, "dashboard-dataset.png"), fullPage: true });

  // At phone width only the grid's own box may scroll sideways, never the page.
  await page.setViewportSize({ width: 375, height: 800 });
  await page.waitForFunction(() => document.documentElement.scrollWidth <= window.innerWidth, null, { timeout: 2_000 }).catch(() => {});
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  await page.setViewportSize({ width: 1280, height: 900 });
  assert.ok(overflow <= 0, `the dataset page is ${overflow}px wider than a 375px viewport`);
});

test("a run's page shows its sweep values, seed, status and its own files", { timeout: 30_000 }, async () => {
  // Run 5 = point 2 (replicas 2): temperature 600, composition.C 0.2 is point 3; point 2 is 600 and 0.1.
  await page.locator("table.run-grid a.run", { hasText: /^5/ }).click();
  await page.waitForURL(new RegExp(`/jobs/${datasetId}/runs/5$`));
  await page.getByRole("heading", { name: "Run 5" }).waitFor();
  await page.locator('.page-head .badge[data-status="completed"]').waitFor();
  assert.equal(await page.locator("dd[data-sweep='temperature']").innerText(), "600");
  assert.equal(await page.locator("dd[data-sweep='composition.C']").innerText(), "0.1");
  assert.match(await page.locator("dd[data-field='seed']").innerText(), /^\d+$/);

  const metrics = page.locator('a[data-artifact="runs/5/metrics.csv"]');
  await metrics.waitFor({ timeout: 10_000 });
  assert.equal(await page.locator('.artifacts a[data-artifact]:not([data-artifact^="runs/5/"])').count(), 0);
  const response = await fetch(await metrics.getAttribute("href"));
  assert.equal(response.status, 200);
  assert.match(await response.text(), /^step,/);
  // The run report and the charts read the run's own summary.json and metrics.csv.
  await page.locator(".run-report .species-table tbody tr").first().waitFor({ timeout: 10_000 });
  await page.locator("#chart-molecules canvas").waitFor({ timeout: 10_000 });
  assert.ok(Number(await page.locator("#chart-molecules").getAttribute("data-points")) >= 2);
});
