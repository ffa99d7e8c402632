// report.html as a scientist opens it: straight from the download folder, in Debian's headless Chromium, offline.
// A real live2-sim run writes it; the page must show its species table and chart and fetch nothing at all.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

import { launchChromium } from "./support/browser.mjs";

const binDir = process.env.LIVE2_BIN_DIR;

test("report.html opens from disk with its table and chart, and fetches nothing", async () => {
  const work = mkdtempSync(join(tmpdir(), "live2-report-"));
  const browser = await launchChromium();
  try {
    const params = join(work, "params.json");
    writeFileSync(params, JSON.stringify({
      simulation_config: { mode: "preset_prebiotic", config: { preset: "miller_urey", num_particles: 200, steps: 2000 } },
    }));
    const out = join(work, "out");
    execFileSync(join(binDir, "live2-sim"), ["run", "--params", params, "--out", out, "--threads", "1"],
                 { env: { ...process.env, JOB_ID: "job_report_e2e" }, stdio: "ignore" });
    const reportUrl = pathToFileURL(join(out, "report.html")).href;

    const page = await browser.newPage();
    const requested = [];
    const consoleErrors = [];
    page.on("request", (request) => requested.push(request.url()));
    page.on("console", (message) => { if (message.type() === "error") consoleErrors.push(message.text()); });
    await page.goto(reportUrl, { waitUntil: "load" });

    assert.deepEqual(requested, [reportUrl], "the page itself and nothing else");
    assert.deepEqual(consoleErrors, [], "no blocked resource, no error");
    const rows = await page.locator("table.species tbody tr").count();
    assert.ok(rows > 0, "the species table has rows");
    const firstRow = await page.locator("table.species tbody tr").first().locator("td").allTextContents();
    assert.equal(firstRow.length, 5, "formula, structure key, first seen, final and max count");
    assert.match(firstRow[1], /#/, "a structure key");
    assert.ok(await page.locator("table.reactions tbody tr").count() > 0, "the top reactions");
    assert.ok(await page.locator("svg.chart polyline").count() > 0, "the chart has lines");
    assert.ok(await page.locator("ol.first li").count() > 0, "first appearances");
    // The inline stylesheet applies (a CSP that blocked it would leave the header cells unstyled).
    const background = await page.locator("table.species th").first().evaluate((cell) => getComputedStyle(cell).backgroundColor);
    assert.equal(background, "rgb(243, 243, 243)");
    assert.equal(await page.locator("script").count(), 0, "no script at all");
  } finally {
    await browser.close();
    rmSync(work, { recursive: true, force: true });
  }
});
