// Opens out/report.html of the example study in Debian's Chromium (headless),
// checks that it loads with no console errors, that expanding a learning goal
// shows its quotes, that the profession filter works, and saves a screenshot.
// Usage: node report.test.mjs REPORT.html SCREENSHOT.png
import { chromium } from "playwright-core";
import { pathToFileURL } from "node:url";

const [report, screenshot] = process.argv.slice(2);
const results = [];
function check(name, ok, detail = "") {
  results.push({ name, ok });
  console.log(`${ok ? "ok  " : "FAIL"} ${name}${detail ? ": " + detail : ""}`);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  const requests = [];
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("request", (r) => { if (!r.url().startsWith("file:")) requests.push(r.url()); });
  await page.goto(pathToFileURL(report).href, { waitUntil: "load" });
  check("loads with no console errors", errors.length === 0, errors.join(" | "));
  check("fetches nothing from the network", requests.length === 0, requests.join(" "));

  const goal = page.locator("details.trace").first();
  const quote = goal.locator("blockquote.quote").first();
  check("a learning goal's quotes start folded", !(await quote.isVisible()));
  await goal.locator("summary").click();
  check("expanding a learning goal shows its quotes", await quote.isVisible());

  const finding = page.locator("details.finding").first();
  await finding.locator("summary").click();
  const all = await page.locator("blockquote.quote").count();
  const profession = await page.locator("#f-prof option").nth(1).getAttribute("value");
  await page.selectOption("#f-prof", profession);
  const shown = await page.locator("blockquote.quote:not(.hidden)").evaluateAll(
    (qs) => qs.map((q) => q.getAttribute("data-profession")));
  check("the profession filter keeps only that profession",
        shown.length > 0 && shown.length < all && shown.every((p) => p === profession),
        `${shown.length} of ${all} shown for ${profession}`);
  const counter = await page.locator("#f-count").textContent();
  check("the filter says how many quotes it shows", /quotes shown/.test(counter || ""), counter);
  await page.selectOption("#f-prof", "");

  await page.locator("#show-norm").click();
  check("the heat map switches to shares", await page.locator("#heat-norm").isVisible()
        && !(await page.locator("#heat-count").isVisible()));
  await page.locator("#show-count").click();

  await page.goto(pathToFileURL(report).href + "#trace-FE-1", { waitUntil: "load" });
  check("a link to a trace opens it", await page.locator("#trace-FE-1").evaluate((d) => d.open));

  await page.setViewportSize({ width: 1280, height: 1800 });
  await page.goto(pathToFileURL(report).href, { waitUntil: "load" });
  await page.locator("details.finding").first().locator("summary").click();
  await page.screenshot({ path: screenshot, fullPage: false });
  check("screenshot saved", true, screenshot);
  check("no errors while interacting", errors.length === 0, errors.join(" | "));
} finally {
  await browser.close();
}
const failed = results.filter((r) => !r.ok).length;
console.log(`${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
