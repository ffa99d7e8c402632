// End-to-end: the dashboard in Debian's Chromium against the real `live2 serve` (local executor, real live2-sim).
// Environment: LIVE2_BIN_DIR (live2 and live2-sim; default build/bin), LIVE2_WEB_DIR (default web/dist),
// LIVE2_E2E_SCREENSHOTS (a directory: saves the screenshots docs/dashboard.md shows there).
// The tests run in order and share one server, one key and one signed-in page.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { launchChromium } from "./support/browser.mjs";
import { startLive2 } from "./support/live2Server.mjs";
import { syntheticTrajectory } from "./support/trajectory.mjs";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const binDir = resolve(process.env.LIVE2_BIN_DIR ?? join(repoRoot, "build/bin"));
const webDir = resolve(process.env.LIVE2_WEB_DIR ?? join(repoRoot, "web/dist"));
const screenshotDir = process.env.LIVE2_E2E_SCREENSHOTS;

const JOB_DONE_TIMEOUT_MS = 120_000;

let server;
let browser;
let page;
let apiKey;
let completedJobId;
// Every Content Security Policy complaint Chromium logs for a dashboard page (artifact documents, whose sandbox is
// meant to refuse things, are left out).
const cspViolations = [];

const mainNav = () => page.getByRole("navigation", { name: "Main" });
const fieldId = (path) => `field-${path.replace(/[^A-Za-z0-9_]+/g, "-")}`;
const configField = (name) => page.locator(`#${fieldId(`params.simulation_config.config.${name}`)}`);

async function submitJob(config) {
  await mainNav().getByRole("link", { name: "New job" }).click();
  await page.getByRole("heading", { name: "New simulation" }).waitFor();
  for (const [name, value] of Object.entries(config)) await configField(name).fill(String(value));
  await page.getByRole("button", { name: "Submit job" }).click();
  await page.waitForURL(/\/jobs\/job_[0-9a-z]{20,}$/);
  return decodeURIComponent(new URL(page.url()).pathname.split("/").pop());
}

before(async () => {
  // Insecure webhooks: the hostile-text test sends one to a closed loopback port, so nothing leaves the machine.
  server = await startLive2({ binDir, webDir, env: { LIVE2_WEBHOOK_ALLOW_INSECURE: "1" } });
  apiKey = await server.createKey("e2e", "research");
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on("console", (message) => {
    const where = message.location().url || page.url();
    if (/Content Security Policy/i.test(message.text()) && !where.includes("/files/")) {
      cspViolations.push(`${where}: ${message.text()}`);
    }
  });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test("a wrong key is refused and a real key signs in", async () => {
  await page.goto(server.baseUrl);
  await page.getByLabel("API key").fill(`sk_live_${"0".repeat(32)}`);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.locator("#api-key-error").filter({ hasText: "not valid" }).waitFor();

  await page.getByLabel("API key").fill(apiKey);
  await page.getByLabel("API key").press("Enter"); // keyboard only

  await page.getByRole("heading", { name: "Jobs" }).waitFor();
  const stored = await page.evaluate(() => [sessionStorage.getItem("live2.apiKey"), localStorage.length]);
  assert.deepEqual(stored, [apiKey, 0]);
});

test("a small job submitted from the form runs to completed", { timeout: JOB_DONE_TIMEOUT_MS + 30_000 }, async () => {
  completedJobId = await submitJob({ num_particles: 200, steps: 2000 });
  await page.locator('.page-head .badge[data-status="completed"]').waitFor({ timeout: JOB_DONE_TIMEOUT_MS });
  assert.equal(await page.getByRole("progressbar", { name: "Progress" }).getAttribute("aria-valuenow"), "100");
  assert.match(await page.locator(".timeline").innerText(), /Created[\s\S]*Started[\s\S]*Finished/);
  assert.match(await page.locator(".details").innerText(), /Kind\s+local[\s\S]*Attempts\s+1/);
});

test("the job page shows artifacts that download, the final picture, the charts and the log", { timeout: 60_000 }, async () => {
  const artifactLink = page.locator('a[data-artifact="summary.json"]');
  await artifactLink.waitFor({ timeout: 20_000 });
  const response = await fetch(await artifactLink.getAttribute("href"));
  assert.equal(response.status, 200);
  assert.equal(typeof (await response.json()), "object");

  const picture = page.locator(".final-picture img");
  await picture.waitFor({ timeout: 20_000 });
  await picture.scrollIntoViewIfNeeded(); // it loads lazily, below the report and the charts
  await page.waitForFunction(() => document.querySelector(".final-picture img")?.naturalWidth > 0);

  for (const id of ["chart-molecules", "chart-species", "chart-temperature", "chart-energies", "chart-pressure"]) {
    await page.locator(`#${id} canvas`).waitFor({ timeout: 20_000 });
  }
  assert.match(await page.locator("#chart-species figcaption").textContent(), /species \(latest \d+\)/);
  await page.locator("pre.log").filter({ hasNotText: "Loading" }).waitFor();
  assert.notEqual((await page.locator("pre.log").innerText()).trim(), "");

  if (screenshotDir) await page.screenshot({ path: join(screenshotDir, "dashboard-job.png"), fullPage: true });
});

// Every value of one column of the species table, as shown.
const speciesColumn = (index) =>
  page.locator(".species-table tbody tr").evaluateAll(
    (rows, i) => rows.map((row) => row.cells[i].textContent.trim()),
    index,
  );
const shownNumber = (text) => (text === "–" ? Number.NaN : Number(text.replace(/,/g, "")));

// Charts and the viewer follow their container through ResizeObserver, whose callbacks come after a resize: the
// layout gets a second to settle before it is judged.
async function assertNoSidewaysScroll(what) {
  const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  await page.waitForFunction(() => document.documentElement.scrollWidth <= window.innerWidth, null, { timeout: 1_000 }).catch(() => {});
  const pixels = await overflow();
  assert.ok(pixels <= 0, `${what} is ${pixels}px wider than the viewport`);
}

test("the run report: species searchable and sortable by keyboard, reactions, first appearances", { timeout: 60_000 }, async () => {
  const report = page.locator(".run-report");
  await report.locator(".species-table tbody tr").first().waitFor({ timeout: 20_000 });
  // The chemistry comes first: the report and the charts are above the operator's details.
  const order = await page.locator("main h2").allTextContents();
  assert.ok(order.indexOf("Run report") < order.indexOf("Metrics"), order.join(", "));
  assert.ok(order.indexOf("Metrics") < order.indexOf("Executor"), order.join(", "));

  const summary = await (await fetch(await page.locator('a[data-artifact="summary.json"]').getAttribute("href"))).json();
  const facts = await report.locator(".report-facts dd").allTextContents();
  assert.equal(shownNumber(facts[0]), summary.species_count);
  assert.equal(shownNumber(facts[1]), summary.reaction_count);
  const formulas = await speciesColumn(0);
  assert.equal(formulas.length, Math.min(100, summary.species_count));

  // Default order: final count, largest first; Enter on the focused header button reverses it.
  const finals = (await speciesColumn(3)).map(shownNumber);
  assert.deepEqual(finals, finals.slice().sort((a, b) => b - a));
  const finalHeader = report.getByRole("button", { name: "Final count" });
  await finalHeader.focus();
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.querySelectorAll(".species-table th")[3].getAttribute("aria-sort") === "ascending");
  const ascending = (await speciesColumn(3)).map(shownNumber);
  assert.deepEqual(ascending, ascending.slice().sort((a, b) => a - b));
  await report.getByRole("button", { name: "Formula" }).press("Enter");
  const byFormula = await speciesColumn(0);
  assert.deepEqual(byFormula, byFormula.slice().sort((a, b) => a.localeCompare(b, "en")));

  // The search narrows the table to the species whose formula or key contains the text.
  const wanted = summary.top_species[0].formula;
  await report.getByLabel("Search species").fill(wanted);
  await page.waitForFunction(
    (text) => [...document.querySelectorAll(".species-table tbody tr")].every((row) => row.textContent.includes(text)),
    wanted,
  );
  assert.ok((await speciesColumn(0)).includes(wanted));

  // Top reactions as summary.json lists them, and first appearances from step 0 on.
  const equations = await report.locator(".reactions-table tbody .formula").allTextContents();
  assert.deepEqual(equations, summary.top_reactions.slice(0, 10).map((r) => r.formula_equation ?? r.equation));
  const molecules = await (await fetch(await page.locator('a[data-artifact="molecules.json"]').getAttribute("href"))).json();
  const earliest = Math.min(...molecules.map((m) => m.first_seen_step));
  assert.match(await report.locator(".appearances li").first().innerText(), new RegExp(`^step ${earliest}\\b`));

  // The top species over time, from the worker's species_counts.csv.
  await report.locator("#chart-species-counts canvas").waitFor({ timeout: 20_000 });
  assert.ok((await report.locator("#chart-species-counts .chart-series").count()) >= 1);

  await report.getByLabel("Search species").fill("");
  if (screenshotDir) await report.screenshot({ path: join(screenshotDir, "dashboard-report.png") });
  await page.setViewportSize({ width: 390, height: 844 });
  await assertNoSidewaysScroll("the job page with its report at 390 px");
  if (screenshotDir) await report.screenshot({ path: join(screenshotDir, "dashboard-report-phone.png") });
  await page.setViewportSize({ width: 1280, height: 800 });
});

const VIEWER_ATOMS = 10_000;
const VIEWER_MIN_FPS = 20;

test("the trajectory viewer plays 10,000 atoms at 20 frames/s or more, scrubs and names the molecule pointed at", { timeout: 60_000 }, async () => {
  // The run's own trajectory: its 200 atoms, on the last of its snapshots (every steps / 20, and the last step).
  const viewer = page.getByRole("region", { name: "Trajectory" });
  await viewer.locator(".viewer-position").waitFor({ timeout: 20_000 });
  assert.match(await viewer.locator(".viewer-position").innerText(), /^Frame (\d+) of \1, step 2,000 · 200 atoms$/);

  // 10,000 atoms in the worker's format.
  await writeArtifacts(completedJobId, { "trajectory.extxyz": syntheticTrajectory({ atoms: VIEWER_ATOMS, frames: 20 }) });
  await page.goto(`${server.baseUrl}/jobs/${completedJobId}`);
  const canvas = viewer.locator("canvas");
  await canvas.and(page.locator("[data-draws]")).waitFor({ timeout: 30_000 });
  // It opens on the last frame (the final state).
  assert.match(await viewer.locator(".viewer-position").innerText(), /^Frame 20 of 20, step 2,850 · 10,000 atoms$/);

  // Keyboard only: the fastest speed, then Play with Enter; count what the canvas draws in two seconds.
  await viewer.getByLabel("Speed", { exact: true }).selectOption("60");
  await viewer.getByRole("button", { name: "Play" }).press("Enter");
  await page.waitForTimeout(300); // warm-up
  const draws = () => canvas.evaluate((element) => Number(element.dataset.draws));
  const [before, startedAt] = [await draws(), Date.now()];
  await page.waitForTimeout(2000);
  const fps = ((await draws()) - before) / ((Date.now() - startedAt) / 1000);
  console.log(`trajectory viewer: ${fps.toFixed(1)} frames/s at ${VIEWER_ATOMS} atoms (headless Chromium, no GPU)`);
  assert.ok(fps >= VIEWER_MIN_FPS, `${fps.toFixed(1)} frames/s`);

  await viewer.getByRole("button", { name: "Pause" }).press("Space");
  assert.equal(await viewer.getByRole("button", { name: "Play" }).getAttribute("aria-pressed"), "false");
  const slider = viewer.getByRole("slider", { name: "Frame" });
  await slider.press("Home");
  await slider.press("ArrowRight");
  assert.match(await viewer.locator(".viewer-position").innerText(), /^Frame 2 of 20, step 150 /);

  // Pointing at an atom rings its molecule and names it (the synthetic molecules are all H2O).
  await canvas.scrollIntoViewIfNeeded();
  const box = await canvas.boundingBox();
  const hover = viewer.locator(".viewer-hover");
  for (let k = 0; k < 40 && !/Molecule under/.test(await hover.innerText()); k += 1) {
    await page.mouse.move(box.x + box.width * (0.3 + 0.01 * k), box.y + box.height * (0.4 + 0.007 * k));
  }
  assert.equal(await hover.innerText(), "Molecule under the pointer: H2O (3 atoms)");

  if (screenshotDir) await viewer.screenshot({ path: join(screenshotDir, "dashboard-viewer.png") });
  await page.setViewportSize({ width: 390, height: 844 });
  await assertNoSidewaysScroll("the job page with the viewer at 390 px");
  if (screenshotDir) await viewer.screenshot({ path: join(screenshotDir, "dashboard-viewer-phone.png") });
  await page.setViewportSize({ width: 1280, height: 800 });
});

test("a file rewritten under the same download link is downloaded again, not taken from the browser's cache", async () => {
  // A link is signed with its expiry in whole seconds, so two listings in one second give a file that changed in
  // between (a running job's trajectory, metrics and log) the same link. The page must get the new content.
  await writeArtifacts(completedJobId, { "rewritten.txt": "first version" });
  const listing = await fetch(`${server.baseUrl}/api/v1/jobs/${completedJobId}/artifacts`, {
    headers: { authorization: `Bearer ${apiKey}` },
  });
  const { url } = (await listing.json()).artifacts.find((artifact) => artifact.name === "rewritten.txt");
  const download = (link) => page.evaluate(async (href) => (await fetch(href, { credentials: "omit" })).text(), link);
  assert.equal(await download(url), "first version");
  await writeArtifacts(completedJobId, { "rewritten.txt": "second version" });
  assert.equal(await download(url), "second version");
});

// Waits until the progress bar found by `selector` shows more than `above` percent, without reloading the page.
async function progressAbove(selector, above) {
  await page.waitForFunction(
    (args) => Number(document.querySelector(args.selector)?.getAttribute("aria-valuenow")) > args.above,
    { selector, above },
    { timeout: 40_000 },
  );
  return Number(await page.locator(selector).getAttribute("aria-valuenow"));
}

// How many points the chart `id` draws, once it has more than `above`.
async function chartPointsAbove(id, above) {
  await page.waitForFunction(
    (args) => Number(document.getElementById(args.id)?.dataset.points) > args.above,
    { id, above },
    { timeout: 40_000 },
  );
  return Number(await page.locator(`#${id}`).getAttribute("data-points"));
}

test("a long job's progress, charts and artifacts move live on its page and in the list, and it can be cancelled", { timeout: 120_000 }, async () => {
  const jobId = await submitJob({ num_particles: 2000, steps: 200000 });
  const onPage = '.job-progress [role="progressbar"]';
  await progressAbove(onPage, await progressAbove(onPage, 0));
  // Once the chart has points, new ones arrive as events on the job's stream: the chart grows with no /metrics load.
  const points = await chartPointsAbove("chart-molecules", 0);
  const metricsLoads = [];
  const onRequest = (request) => {
    if (/\/api\/v1\/jobs\/[^/]+\/metrics$/.test(new URL(request.url()).pathname)) metricsLoads.push(request.url());
  };
  page.on("request", onRequest);
  await chartPointsAbove("chart-molecules", points);
  page.off("request", onRequest);
  assert.deepEqual(metricsLoads, []);
  await page.locator('a[data-artifact="metrics.csv"]').waitFor({ timeout: 20_000 });
  if (screenshotDir) {
    await page.getByRole("region", { name: "Metrics" }).screenshot({ path: join(screenshotDir, "dashboard-live.png") });
  }

  await mainNav().getByRole("link", { name: "Jobs" }).click();
  const inList = `tr[data-job-id="${jobId}"] [role="progressbar"]`;
  await page.locator(inList).waitFor();
  await progressAbove(inList, Number(await page.locator(inList).getAttribute("aria-valuenow")));

  await page.getByRole("link", { name: jobId }).click();
  await page.getByRole("button", { name: "Cancel job…" }).click();
  // Focus moves to the safe answer once the dialog has rendered (an effect after the click, so wait for it).
  await page.waitForFunction(() => document.activeElement?.textContent === "Keep running", null, { timeout: 5_000 });
  await page.getByRole("button", { name: "Yes, cancel job" }).click();
  await page.locator('.page-head .badge[data-status="cancelled"]').waitFor({ timeout: 60_000 });
  assert.equal(await page.getByRole("button", { name: /Cancel job/ }).count(), 0);
  const finalState = page.getByRole("region", { name: "Final state" });
  await finalState.locator(".final-picture img").or(finalState.getByText(/was cancelled/)).first().waitFor({ timeout: 20_000 });
  assert.doesNotMatch(await finalState.innerText(), /appears when the run has finished/);
});

test("the jobs list is newest first and filters by status", { timeout: 30_000 }, async () => {
  await mainNav().getByRole("link", { name: "Jobs" }).click();
  const rows = page.locator(".jobs-table tbody tr");
  await rows.nth(1).waitFor();
  assert.deepEqual(await rows.locator(".badge").evaluateAll((badges) => badges.map((b) => b.dataset.status)), [
    "cancelled",
    "completed",
  ]);
  await page.getByRole("checkbox", { name: "completed" }).check();
  await page.waitForURL(/status=completed/);
  await page.waitForFunction(() => document.querySelectorAll(".jobs-table tbody tr").length === 1);
  assert.equal(await rows.first().getAttribute("data-job-id"), completedJobId);
  await page.getByRole("button", { name: "Show all" }).click();
  await rows.nth(1).waitFor();
});

test("cursor paging walks from the newest job to older ones and back", { timeout: 30_000 }, async () => {
  await page.goto(`${server.baseUrl}/?limit=1`);
  const firstRow = page.locator(".jobs-table tbody tr").first();
  await firstRow.waitFor();
  const newest = await firstRow.getAttribute("data-job-id");
  await page.getByRole("link", { name: "Older jobs" }).click();
  await page.waitForURL(/cursor=/);
  await page.waitForFunction((id) => document.querySelector(".jobs-table tbody tr")?.dataset.jobId === id, completedJobId);
  await page.getByRole("link", { name: "First page" }).click();
  await page.waitForFunction((id) => document.querySelector(".jobs-table tbody tr")?.dataset.jobId === id, newest);
  assert.notEqual(newest, completedJobId);
});

test("at phone width the pages fit without sideways scrolling", { timeout: 30_000 }, async () => {
  const assertNoOverflow = assertNoSidewaysScroll;
  await page.setViewportSize({ width: 375, height: 740 });
  await page.goto(server.baseUrl);
  await page.locator(".jobs-table tbody tr").nth(1).waitFor();
  await assertNoOverflow("the jobs list");
  if (screenshotDir) await page.screenshot({ path: join(screenshotDir, "dashboard-phone.png"), fullPage: true });
  await page.getByRole("link", { name: completedJobId }).click();
  await page.locator("#chart-energies canvas").waitFor();
  await page.locator(".final-picture img").waitFor();
  await assertNoOverflow("the job page");
  await mainNav().getByRole("link", { name: "New job" }).click();
  await page.getByRole("heading", { name: "New simulation" }).waitFor();
  await assertNoOverflow("the submit form");
  await page.setViewportSize({ width: 1280, height: 800 });
});

let rerunJobId;

test("re-running a job with an edit: the form starts from its parameters", { timeout: 60_000 }, async () => {
  await page.goto(`${server.baseUrl}/jobs/${completedJobId}`);
  await page.getByRole("link", { name: "Re-run with changes" }).click();
  await page.getByRole("heading", { name: "Re-run with changes" }).waitFor();
  await page.waitForFunction(() => !document.querySelector(".notice")?.textContent.includes("loading"));
  assert.equal(await configField("num_particles").inputValue(), "200");
  assert.equal(await configField("steps").inputValue(), "2000");
  await configField("steps").fill("1500");
  if (screenshotDir) await page.screenshot({ path: join(screenshotDir, "dashboard-rerun.png") });
  await page.setViewportSize({ width: 390, height: 844 });
  await assertNoSidewaysScroll("the re-run form at 390 px");
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.getByRole("button", { name: "Submit job" }).click();
  await page.waitForURL(/\/jobs\/job_[0-9a-z]{20,}$/);
  rerunJobId = decodeURIComponent(new URL(page.url()).pathname.split("/").pop());
  assert.notEqual(rerunJobId, completedJobId);
  assert.match(await page.locator(".params summary").innerText(), /200 atoms, 1,500 steps/);
});

test("the list filters and sorts by parameters, and two jobs compare side by side", { timeout: 60_000 }, async () => {
  await mainNav().getByRole("link", { name: "Jobs" }).click();
  const rows = page.locator(".jobs-table tbody tr");
  await rows.nth(2).waitFor();
  const shownIds = () => rows.evaluateAll((trs) => trs.map((tr) => tr.dataset.jobId));
  await page.getByLabel("Filter", { exact: true }).fill("1,500 steps");
  await page.waitForFunction(() => document.querySelectorAll(".jobs-table tbody tr").length === 1);
  assert.deepEqual(await shownIds(), [rerunJobId]);
  await page.getByLabel("Filter", { exact: true }).fill("");
  await page.getByLabel("Sort", { exact: true }).selectOption("oldest");
  assert.equal((await shownIds())[0], completedJobId);
  await page.getByLabel("Sort", { exact: true }).selectOption("particles");
  assert.equal((await shownIds()).at(-1), completedJobId); // 200 atoms, as the re-run: newest first among equals
  assert.equal((await shownIds()).at(-2), rerunJobId);

  // Pick two by keyboard (Space on each box), then compare.
  const compare = page.getByRole("button", { name: /Compare selected/ });
  assert.equal(await compare.isDisabled(), true);
  await page.getByLabel(`Compare ${completedJobId}`).press("Space");
  await page.getByLabel(`Compare ${rerunJobId}`).press("Space");
  await compare.press("Enter");
  await page.waitForURL(/\/compare\?jobs=/);
  const table = page.locator(".compare-table");
  await table.waitFor();
  const row = (setting) => table.locator("tbody tr").filter({ has: page.locator(`th:text-is("${setting}")`) });
  assert.equal(await table.locator('tbody tr:has(th:text-matches("^steps"))').getAttribute("class"), "differs");
  assert.equal(await row("num_particles").getAttribute("class"), null);
  assert.deepEqual(await table.locator('tbody tr:has(th:text-matches("^steps")) td').allTextContents(), ["2000", "1500"]);
  // Metrics of both on shared axes: one chart per metric, one series per run.
  const molecules = page.locator("#compare-n_molecules");
  await molecules.locator("canvas").waitFor({ timeout: 20_000 });
  assert.equal(await molecules.locator(".chart-series").count(), 2);
  await page.getByLabel(/^Show only the \d+ settings? that differs?$/).press("Space");
  const classes = await table.locator("tbody tr").evaluateAll((trs) => trs.map((tr) => tr.className));
  assert.ok(classes.length > 0 && classes.every((name) => name === "differs"), classes.join(","));
  if (screenshotDir) await page.screenshot({ path: join(screenshotDir, "dashboard-compare.png"), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await assertNoSidewaysScroll("the comparison at 390 px");
  if (screenshotDir) await page.screenshot({ path: join(screenshotDir, "dashboard-compare-phone.png") });
  await page.setViewportSize({ width: 1280, height: 800 });
});

test("server-side validation errors appear next to the fields they name", { timeout: 30_000 }, async () => {
  await mainNav().getByRole("link", { name: "New job" }).click();
  await configField("num_particles").fill("1");
  await page.getByLabel("Choose the energy sources myself").check();
  await page.getByRole("button", { name: "Add energy source" }).click();
  await configField("energy_sources[0].duty").fill("2");
  await page.getByRole("button", { name: "Submit job" }).click();

  const error = page.locator(`#${fieldId("params.simulation_config.config.num_particles")}-error`);
  await error.waitFor();
  assert.match(await error.innerText(), /2/);
  assert.equal(await configField("num_particles").getAttribute("aria-invalid"), "true");
  const dutyError = page.locator(`#${fieldId("params.simulation_config.config.energy_sources[0].duty")}-error`);
  assert.notEqual((await dutyError.innerText()).trim(), "");
  assert.match(page.url(), /\/jobs\/new$/);

  // The summary gets focus and its links move focus to the field.
  assert.equal(await page.evaluate(() => document.activeElement?.classList.contains("form-summary")), true);
  // In words: the field's label, not its API path, and the invalid input outlined.
  const summary = await page.locator(".form-summary").innerText();
  assert.doesNotMatch(summary, /params\.|simulation_config/);
  const outline = await configField("num_particles").evaluate((input) => getComputedStyle(input).borderTopColor);
  assert.equal(outline, "rgb(179, 38, 30)");
  await page.locator(".form-summary").getByRole("link", { name: "Particles" }).click();
  assert.equal(await page.evaluate(() => document.activeElement?.id), fieldId("params.simulation_config.config.num_particles"));
  const unlabelled = await page
    .locator("main input, main select")
    .evaluateAll((inputs) => inputs.filter((input) => input.labels.length === 0).map((input) => input.id));
  assert.deepEqual(unlabelled, []);
});

// Markup where a user (or a worker) chooses the text. If it ever reached the DOM as HTML, its handler would set this.
const HOSTILE_TEXT = "<img src=x onerror=window.__xss=1>";
const hostileTextRan = () => page.evaluate(() => [window.__xss ?? null, document.querySelectorAll('img[src="x"]').length]);

// Files a worker could leave in a job's artifact directory ({data dir}/artifacts/{key}).
async function writeArtifacts(jobId, files) {
  const response = await fetch(`${server.baseUrl}/api/v1/jobs/${jobId}/artifacts`, {
    headers: { authorization: `Bearer ${apiKey}` },
  });
  const [first] = (await response.json()).artifacts;
  const directory = join(server.dataDir, "artifacts", first.key.slice(0, -first.name.length));
  for (const [name, content] of Object.entries(files)) await writeFile(join(directory, name), content);
}

test("user-chosen text with markup is shown as text and runs no script", { timeout: 60_000 }, async () => {
  await mainNav().getByRole("link", { name: "New job" }).click();
  await page.getByRole("button", { name: "Reset to defaults" }).click();
  await configField("num_particles").fill("200");
  await configField("steps").fill("2000");
  const webhook = page.getByLabel("Webhook URL (optional)");
  await webhook.fill(`http://127.0.0.1:9/hook?${HOSTILE_TEXT}`);
  await page.getByRole("button", { name: "Submit job" }).click();
  await page.locator(`#${fieldId("webhook_url")}-error`).waitFor();
  assert.deepEqual(await hostileTextRan(), [null, 0]);

  // Quotes and parentheses are valid in a URL: the job page shows the accepted URL verbatim.
  const accepted = "http://127.0.0.1:9/hook?x='onmouseover='window.__xss=1'&y=(1)";
  await webhook.fill(accepted);
  await page.getByRole("button", { name: "Submit job" }).click();
  await page.waitForURL(/\/jobs\/job_[0-9a-z]{20,}$/);
  assert.equal(await page.locator(".webhook-url").textContent(), accepted);

  await writeArtifacts(completedJobId, { [`${HOSTILE_TEXT}.txt`]: "a file name with markup" });
  await page.goto(`${server.baseUrl}/jobs/${completedJobId}`);
  const hostileLink = page.locator("a[data-artifact]").filter({ hasText: "<img" });
  await hostileLink.waitFor({ timeout: 20_000 });
  assert.equal(await hostileLink.textContent(), `${HOSTILE_TEXT}.txt`);
  assert.deepEqual(await hostileTextRan(), [null, 0]);
});

// Both documents try to copy the dashboard's key into an attribute a test can read.
const READ_KEY = 'document.documentElement.dataset.key = String(sessionStorage.getItem("live2.apiKey"));';
const ACTIVE_ARTIFACTS = {
  "report.html": `<!doctype html><title>report</title><p>A generated report</p><script>${READ_KEY}</script>`,
  "plot.svg": `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>${READ_KEY}</script></svg>`,
};

test("an HTML or SVG artifact opened from the dashboard cannot read the key", { timeout: 60_000 }, async () => {
  await writeArtifacts(completedJobId, ACTIVE_ARTIFACTS);
  const jobPage = `${server.baseUrl}/jobs/${completedJobId}`;
  await page.goto(jobPage);
  for (const name of Object.keys(ACTIVE_ARTIFACTS)) {
    const link = page.locator(`a[data-artifact="${name}"]`);
    await link.waitFor({ timeout: 20_000 });
    const url = await link.getAttribute("href");
    const headers = (await fetch(url)).headers;
    // HTML (the worker's report.html) is shown inline, in a sandbox that runs no script and fetches nothing.
    const shownAsPage = name.endsWith(".html");
    assert.equal(headers.get("content-disposition"), shownAsPage ? "inline" : "attachment", name);
    assert.equal(headers.get("content-security-policy"),
                 shownAsPage ? "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'"
                       : "sandbox; default-src 'none'; frame-ancestors 'none'", name);
    assert.equal(headers.get("x-content-type-options"), "nosniff", name);

    // Opened from its link (which has a download attribute), it is saved: the dashboard stays where it is.
    const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
    assert.equal(download.suggestedFilename(), name);
    assert.equal(page.url(), jobPage);

    // Shown anyway (Content-Disposition taken off on the way) in the signed-in tab itself, where the key is: the
    // sandbox gives it an opaque origin and no script runs.
    const isArtifact = (candidate) => candidate.href === url;
    await page.route(isArtifact, async (route) => {
      const original = await route.fetch();
      const { "content-disposition": _, ...kept } = original.headers();
      await route.fulfill({ response: original, headers: kept });
    });
    await page.goto(url);
    assert.deepEqual(await page.evaluate(() => [self.origin, document.documentElement.dataset.key ?? null]), ["null", null], name);
    await page.unroute(isArtifact);
    await page.goto(jobPage);
  }
  assert.equal(await page.evaluate(() => sessionStorage.getItem("live2.apiKey")), apiKey);
});

test("a job page whose event stream is refused with 429 polls the job instead", { timeout: 90_000 }, async () => {
  const headers = { Authorization: `Bearer ${apiKey}`, "Content-Type": "application/json" };
  const api = `${server.baseUrl}/api/v1/jobs`;
  const body = { job_type: "run_simulation", params: { simulation_config: { mode: "open_chemistry" } } };
  body.params.simulation_config.config = { num_particles: 200, steps: 1_000_000 }; // runs far longer than the test
  const submitted = await fetch(api, { method: "POST", headers, body: JSON.stringify(body) });
  assert.equal(submitted.status, 202);
  const { job_id: jobId } = await submitted.json();
  // No page of this user holds a stream; then other clients of the user take every stream the server allows.
  await page.goto("about:blank");
  const holders = new AbortController();
  let held = 0;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const response = await fetch(`${api}/${jobId}/events`, { headers, signal: holders.signal });
    if (response.status === 429) {
      await response.body?.cancel();
      // Slots of the page's streams from earlier tests free up as the server notices their connections closed.
      if (held >= 16) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
      continue;
    }
    assert.equal(response.status, 200);
    held += 1;
  }
  assert.ok(held >= 16, `the server allowed only ${held} streams`);

  const refusedStreams = [];
  let polls = 0;
  const onResponse = (response) => {
    const path = new URL(response.url()).pathname;
    if (path === `/api/v1/jobs/${jobId}/events`) refusedStreams.push(response.status());
    if (path === `/api/v1/jobs/${jobId}` && response.request().method() === "GET") polls += 1;
  };
  page.on("response", onResponse);
  try {
    await page.goto(`${server.baseUrl}/jobs/${jobId}`);
    await page.locator('.page-head .badge[data-status="running"], .page-head .badge[data-status="queued"]').waitFor();
    // The page's first load, then polls every 3 s (POLL_MS) instead of a stream.
    const pollDeadline = Date.now() + 30_000;
    while (polls < 3 && Date.now() < pollDeadline) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(refusedStreams, [429]);
    assert.ok(polls >= 3, `${polls} GETs of the job`);
  } finally {
    page.off("response", onResponse);
    holders.abort();
    await fetch(`${api}/${jobId}/cancel`, { method: "POST", headers });
  }
});

test("the dashboard ran under its policy without a single violation", { timeout: 30_000 }, async () => {
  assert.deepEqual(cspViolations, []);
  // The policy is enforced and the listener hears it: an inline script is refused and reported.
  await page.evaluate(() => {
    const script = document.createElement("script");
    script.textContent = "window.__inline = 1";
    document.body.append(script);
  });
  const deadline = Date.now() + 5_000;
  while (cspViolations.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  assert.match(cspViolations.join("\n"), /inline script/);
  assert.equal(await page.evaluate(() => window.__inline ?? null), null);
});

test("with the server gone, the list says so in words instead of showing stale rows", { timeout: 30_000 }, async () => {
  // The page's clock is driven by the test, so the list's 10 s reload comes at once.
  await page.clock.install();
  await mainNav().getByRole("link", { name: "Jobs" }).click();
  await page.locator(".jobs-table tbody tr").first().waitFor();
  const isApi = (url) => url.pathname.startsWith("/api/");
  await page.route(isApi, (route) => route.abort("connectionrefused"));
  try {
    await page.clock.runFor(10_000);
    await page.getByRole("alert").filter({ hasText: "The server cannot be reached" }).waitFor({ timeout: 10_000 });
    assert.equal(await page.locator(".jobs-table").count(), 0);
    assert.doesNotMatch(await page.locator("main").innerText(), /Failed to fetch/);
  } finally {
    await page.unroute(isApi);
  }
  await page.clock.runFor(10_000);
  await page.locator(".jobs-table tbody tr").first().waitFor({ timeout: 10_000 });
});
