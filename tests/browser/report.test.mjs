// Opens out/report.html of the example study in Debian's Chromium (headless),
// checks that it loads with no console errors, that expanding a learning goal
// shows its quotes, that the profession filter works, and saves a screenshot.
// With a third argument (the English report) it checks the language too; at
// 1366 px it checks that the heat map and the co-occurrence table fit with
// no clipped labels, and that every finding and goal has its split bar.
// Usage: node report.test.mjs REPORT.html SCREENSHOT.png [REPORT-EN.html]
import { chromium } from "playwright-core";
import { pathToFileURL } from "node:url";

const [report, screenshot, reportEn] = process.argv.slice(2);
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
  check("the filter says how many quotes it shows", /citater vist|quotes shown/.test(counter || ""), counter);
  await page.selectOption("#f-prof", "");

  await page.locator("#show-norm").click();
  check("the heat map switches to shares", await page.locator("#heat-norm").isVisible()
        && !(await page.locator("#heat-count").isVisible()));
  await page.locator("#show-count").click();

  await page.goto(pathToFileURL(report).href + "#trace-FE-1", { waitUntil: "load" });
  check("a link to a trace opens it", await page.locator("#trace-FE-1").evaluate((d) => d.open));

  // the language: Danish by default
  check("Danish headings by default",
        (await page.locator("html").getAttribute("lang")) === "da"
        && (await page.locator("#h-translation").textContent()) === "Fra fund til format"
        && (await page.locator("#h-heatmap").textContent()) === "Koder efter faggruppe");

  // the reviewed/unreviewed bar on every finding and every goal
  for (const sel of ["details.finding", "details.trace"]) {
    const n = await page.locator(sel).count();
    const bars = await page.locator(`${sel} > summary .split`).count();
    check(`a split bar on each ${sel}`, n > 0 && bars === n, `${bars} bars on ${n}`);
  }
  const widths = await page.locator("details.finding > summary .split").first().evaluate((b) =>
    Array.from(b.children).map((c) => c.getBoundingClientRect().width));
  check("the bar's parts have a width", widths.length === 2 && widths[0] + widths[1] > 100, widths.join("+"));

  // 1366 px: the heat map and co-occurrence table fit, no label is clipped
  await page.setViewportSize({ width: 1366, height: 900 });
  await page.goto(pathToFileURL(report).href, { waitUntil: "load" });
  const fit = await page.evaluate(() => {
    const out = {};
    out.page = document.documentElement.scrollWidth <= document.documentElement.clientWidth;
    for (const id of ["heat-count", "cooc-wrap"]) {
      const el = document.getElementById(id);
      out[id] = el.scrollWidth <= el.clientWidth;
    }
    return out;
  });
  check("no horizontal overflow of the page at 1366 px", fit.page);
  check("the heat map fits at 1366 px", fit["heat-count"]);
  check("the co-occurrence table fits at 1366 px", fit["cooc-wrap"]);
  const clipped = await page.evaluate(() => {
    const bad = [];
    const svg = document.querySelector("#heat-count svg");
    const box = svg.getBoundingClientRect();
    svg.querySelectorAll("text.row-label, text.col-label").forEach((t) => {
      const r = t.getBoundingClientRect();
      if (r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5) {
        bad.push(t.textContent);
      }
    });
    document.querySelectorAll("#cooc-wrap th").forEach((th) => {
      if (th.scrollWidth > th.clientWidth + 1) { bad.push(th.textContent); }
    });
    return bad;
  });
  check("no heat-map or co-occurrence label is clipped", clipped.length === 0, clipped.join(" | "));
  const rowLabels = await page.locator("#heat-count svg text.row-label").allTextContents();
  check("the heat map shows code labels, not ids",
        rowLabels.some((l) => l.includes("Teknologiparathed")) && !rowLabels.some((l) => l === "readiness"));

  await page.setViewportSize({ width: 1366, height: 1800 });
  await page.goto(pathToFileURL(report).href, { waitUntil: "load" });
  await page.locator("details.finding").first().locator("summary").click();
  await page.screenshot({ path: screenshot, fullPage: false });
  await page.locator("#heatmap").scrollIntoViewIfNeeded();
  await page.screenshot({ path: screenshot.replace(/\.png$/, "-heatmap.png"), fullPage: false });
  check("screenshot saved", true, screenshot);
  check("no errors while interacting", errors.length === 0, errors.join(" | "));

  if (reportEn) {
    await page.goto(pathToFileURL(reportEn).href, { waitUntil: "load" });
    check("English headings with --lang en",
          (await page.locator("html").getAttribute("lang")) === "en"
          && (await page.locator("#h-translation").textContent()) === "From findings to format");
  }
} finally {
  await browser.close();
}
const failed = results.filter((r) => !r.ok).length;
console.log(`${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
