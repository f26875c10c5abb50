// Benchmark (not a test): how long the workbench takes in headless Chromium
// to open a 300,000-character transcript (from the documents list to the
// drawn, focused transcript, and until every turn is drawn) and to answer a coding key, next to the time
// of the same coding through `spor code add`. Run by scripts/serve-bench.
// Usage: node serve-bench.mjs SPOR_BINARY EXAMPLE_STUDY
import { chromium } from "playwright-core";
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const [spor, example] = process.argv.slice(2);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "spor-serve-bench-"));
const root = path.join(tmp, "examples/sundtek");
fs.cpSync(example, root, { recursive: true, filter: (p) => !/\/(out|\.spor)$/.test(p) });
fs.cpSync(path.join(example, "../../codebooks"), path.join(tmp, "codebooks"), { recursive: true });
// big-01: int-13's turns repeated to 300,000 characters, as spor-bench serve does
const one = fs.readFileSync(path.join(root, "transcripts/int-13.txt"), "utf8");
let big = "";
while ([...big].length < 300000) big += one + "\n";
fs.writeFileSync(path.join(root, "transcripts/big-01.txt"), big);
for (const [sheet, f] of [
  ["documents.csv", (l) => l.replace("int-13,", "big-01,").replace("transcripts/int-13.txt", "transcripts/big-01.txt")],
  ["participants.csv", (l) => l.replace("int-13,", "big-01,")],
]) {
  const p = path.join(root, sheet);
  let text = fs.readFileSync(p, "utf8");
  const extra = text.split("\n").filter((l) => l.startsWith("int-13,")).map(f).join("\n");
  fs.writeFileSync(p, text + (text.endsWith("\n") ? "" : "\n") + extra + "\n");
}
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

// baseline: spor code add, five times
const base = [];
for (let i = 0; i < 5; i++) {
  const t = process.hrtime.bigint();
  const r = spawnSync(spor, ["--study", root, "--quiet", "code", "add", `int-13#${4 + i}`, "technofix", "--coder", "BASE"]);
  if (r.status !== 0) throw new Error(r.stderr.toString());
  base.push(Number(process.hrtime.bigint() - t) / 1e6);
}

const server = spawn(spor, ["--study", root, "--quiet", "serve", "--coder", "BENCH", "--no-open"], { stdio: ["ignore", "pipe", "inherit"] });
const url = await new Promise((ok) => server.stdout.once("data", (d) => ok(d.toString().trim())));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});
const page = await (await browser.newContext({ viewport: { width: 1366, height: 900 } })).newPage();
await page.goto(url);
await page.waitForSelector("table.docs");
const open = [], act = [], whole = [];
for (let i = 0; i < 5; i++) {
  await page.evaluate(() => { location.hash = "#/"; });
  await page.waitForSelector("table.docs");
  const t = Date.now();
  await page.evaluate(() => { location.hash = "#/doc/big-01"; });
  await page.waitForSelector("article.turn.focused");
  await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
  open.push(Date.now() - t);
  // until every turn has arrived and is drawn (the whole transcript usable)
  await page.waitForFunction(() => S.doc && document.querySelectorAll("article.turn").length === S.doc.turns.length, null, { timeout: 60000 });
  whole.push(Date.now() - t);
}
for (let i = 0; i < 5; i++) {
  await page.keyboard.press("j");
  const t = Date.now();
  await page.keyboard.press("1");
  await page.waitForFunction(() => /Kodet /.test(document.querySelector("#status")?.textContent || ""));
  act.push(Date.now() - t);
  await page.evaluate(() => { document.querySelector("#status").textContent = ""; });
}
await browser.close();
server.kill();
fs.rmSync(tmp, { recursive: true, force: true });
console.log(`open big-01 (${[...big].length} chars) in the browser: median ${median(open)} ms (${open.join(", ")})`);
console.log(`until every turn is drawn: median ${median(whole)} ms (${whole.join(", ")})`);
console.log(`coding key until the turn is redrawn: median ${median(act)} ms (${act.join(", ")})`);
console.log(`baseline spor code add: median ${median(base).toFixed(0)} ms (${base.map((x) => x.toFixed(0)).join(", ")})`);
console.log(`ratios: open ${(median(open) / median(base)).toFixed(2)}x, action ${(median(act) / median(base)).toFixed(2)}x of spor code add`);
