// The coding workbench end to end in Debian's Chromium (headless): starts
// `spor serve` on a copy of the example study, codes a passage by keyboard,
// accepts and rejects a suggestion, writes a memo, undoes a coding, creates
// and renames a code, reloads and sees everything kept, checks the coder's
// file, runs `spor run` and `spor audit` on the copy, codes from two
// browsers at once, scans the page with axe-core, saves a screenshot,
// opens a 300,000-character transcript that comes in parts (on a second
// copy of the study), and opens a server with --lang en to see the page in
// English.
// Usage: node serve.test.mjs SPOR-BINARY STUDY-COPY SCREENSHOT.png
import { chromium } from "playwright-core";
import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";

const [spor, study, screenshot] = process.argv.slice(2);
const results = [];
function check(name, ok, detail = "") {
  results.push({ name, ok });
  console.log(`${ok ? "ok  " : "FAIL"} ${name}${detail ? ": " + detail : ""}`);
}
const coderFile = () => {
  try { return readFileSync(`${study}/codings/MH.csv`, "utf8"); } catch { return ""; }
};
const rows = () => coderFile().split("\n").slice(1).filter((l) => l.trim()).length;

// a second copy of the study, made before anything is coded, with a long
// transcript: big-01 is int-13's turns repeated to 300,000 characters
function longStudy() {
  const tmp = mkdtempSync(path.join(os.tmpdir(), "spor-serve-long-"));
  const root = path.join(tmp, "examples/sundtek");
  cpSync(study, root, { recursive: true, filter: (p) => !/\/(out|\.spor)$/.test(p) });
  cpSync(path.join(study, "../../codebooks"), path.join(tmp, "codebooks"), { recursive: true });
  const one = readFileSync(path.join(root, "transcripts/int-13.txt"), "utf8");
  let big = "";
  while ([...big].length < 300000) big += one + "\n";
  writeFileSync(path.join(root, "transcripts/big-01.txt"), big);
  for (const [sheet, f] of [
    ["documents.csv", (l) => l.replace("int-13,", "big-01,").replace("transcripts/int-13.txt", "transcripts/big-01.txt")],
    ["participants.csv", (l) => l.replace("int-13,", "big-01,")],
  ]) {
    const p = path.join(root, sheet);
    const text = readFileSync(p, "utf8");
    const extra = text.split("\n").filter((l) => l.startsWith("int-13,")).map(f).join("\n");
    writeFileSync(p, text + (text.endsWith("\n") ? "" : "\n") + extra + "\n");
  }
  return { tmp, root };
}
const long = longStudy();

// start a server on a free port and read the address it prints
async function startServer(extra, dir = study) {
  const proc = spawn(spor, ["--study", dir, "serve", "--coder", "MH", "--no-open", ...extra], { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  proc.stderr.on("data", (d) => { stderr += d; });
  const at = await new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error("no address printed; stderr: " + stderr)), 120000);
    proc.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+/);
      if (m) { clearTimeout(timer); resolve(m[0]); }
    });
    proc.on("exit", (code) => reject(new Error(`spor serve exited ${code}: ${stderr}`)));
  });
  return { proc, at };
}
const { proc: server, at: url } = await startServer([]);
check("spor serve prints a loopback address with a token", /^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{64}$/.test(url), url);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

async function openPage(context, at = url) {
  const page = await context.newPage();
  const errors = [];
  const foreign = [];
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("request", (r) => { if (!r.url().startsWith(new URL(at).origin)) foreign.push(r.url()); });
  await page.goto(at, { waitUntil: "load" });
  return { page, errors, foreign };
}

async function waitStatus(page, re) {
  await page.waitForFunction((src) => new RegExp(src).test(document.getElementById("status").textContent), re.source, { timeout: 10000 });
}

async function gotoTurn(page, turn) {
  await page.evaluate((t) => { location.hash = "#/doc/int-13/" + t; }, turn);
  await page.waitForSelector(`article.turn.focused#turn-${turn}`);
}

try {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const { page, errors, foreign } = await openPage(context);
  check("the token becomes a cookie and leaves the address", !page.url().includes("token="), page.url());
  const cookies = await context.cookies();
  const c = cookies.find((k) => k.name.startsWith("spor_token_"));
  check("the cookie is HttpOnly and SameSite=Strict", !!c && c.httpOnly && c.sameSite === "Strict");
  await page.waitForSelector("table.docs tbody tr");
  check("the documents list shows every document", (await page.locator("table.docs tbody tr").count()) >= 10);
  // the example study is Danish: the page speaks Danish from the first paint
  const nav = (await page.locator("header nav a").allTextContents()).join(",");
  check("a Danish study gets a Danish page", nav === "Dokumenter,Gennemgang,Kodebog,Uenighed"
    && await page.getAttribute("html", "lang") === "da"
    && (await page.locator("table.docs thead").textContent()).includes("Deltagere"), nav);

  const state = await page.evaluate(async () => (await fetch("/api/state")).json());
  const codeOf = (id) => state.codes.find((k) => k.id === id);

  // keyboard: open int-13, move down to turn 6 with j
  await page.evaluate(() => { location.hash = "#/doc/int-13"; });
  await page.waitForSelector("article.turn.focused#turn-1");
  for (let i = 0; i < 5; i++) await page.keyboard.press("j");
  check("j moves the focus turn by turn", await page.locator("article.turn.focused#turn-6").count() === 1);
  await page.keyboard.press("k");
  await page.keyboard.press("ArrowDown");
  check("k and the arrows move too", await page.locator("article.turn.focused#turn-6").count() === 1);

  // select a passage after Danish letters, then code it by typing part of a label
  const quote = "Vi blev ikke spurgt";
  await page.evaluate((q) => {
    const box = document.querySelector("#turn-6 .text");
    const node = box.firstChild;
    const at = node.textContent.indexOf(q);
    const r = document.createRange();
    r.setStart(node, at);
    r.setEnd(node, at + q.length);
    const sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(r);
  }, quote);
  await page.keyboard.press("c");
  await page.waitForSelector("#picker:not([hidden])");
  const label = codeOf("user-involvement").label;
  const part = label.slice(Math.max(0, label.length - 9));
  await page.keyboard.type(part);
  const first = await page.locator("#picker-list li.on").textContent();
  check("typing part of a Danish label finds the code", first.includes(label), `${part} -> ${first}`);
  await page.keyboard.press("Enter");
  await waitStatus(page, /Kodet int-13#6/);
  let file = coderFile();
  const text6 = (await page.evaluate(async () => (await (await fetch("/api/doc/int-13")).json()).turns[5].text));
  const startChars = Array.from(text6.slice(0, text6.indexOf(quote))).length;
  check("the passage is written with offsets in characters and its quote",
    file.includes(`int-13#6,user-involvement,accepted,,`) && file.includes(`,${startChars},${startChars + Array.from(quote).length},${quote}`), file);
  check("the passage is underlined in the transcript", (await page.locator("#turn-6 mark.passage").textContent()) === quote);

  // accept the suggestion on turn 4, reject the first one on turn 8
  await gotoTurn(page, 4);
  await page.keyboard.press("a");
  await waitStatus(page, /Kodet int-13#4/);
  await gotoTurn(page, 8);
  await page.keyboard.press("r");
  await waitStatus(page, /Afvist int-13#8/);
  file = coderFile();
  check("a keyboard accept and a reject append rows", file.includes("int-13#4,patient,accepted,") && file.includes("int-13#8,context,rejected,"), file);

  // a memo on the rejected coding
  await page.keyboard.press("m");
  await page.waitForSelector("#memo:not([hidden])");
  await page.keyboard.type("Kontekst? Nej, det handler om brug.");
  await page.keyboard.press("Control+Enter");
  await waitStatus(page, /Memo gemt/);
  check("a memo lands in the coder's file", coderFile().includes("int-13#8,context,memo,\"Kontekst? Nej, det handler om brug.\"") || coderFile().includes("int-13#8,context,memo,Kontekst? Nej, det handler om brug."), coderFile());

  // a number key codes the whole turn; u takes it back with a new row
  await gotoTurn(page, 10);
  await page.keyboard.press("1");
  await waitStatus(page, /Kodet int-13#10/);
  const n = rows();
  await page.keyboard.press("u");
  await waitStatus(page, /Fortrudt/);
  check("undo appends a withdrawn row (nothing is rewritten)", rows() === n + 1 && coderFile().includes(`int-13#10,${state.codes[0].id},withdrawn,`));

  // a passage chosen with the keyboard alone: v selects the first word, l
  // extends the end, w moves the passage a word on; a number key codes it
  await gotoTurn(page, 10);
  for (const key of ["v", "l", "l", "w"]) await page.keyboard.press(key);
  const text10 = (await page.evaluate(async () => (await (await fetch("/api/doc/int-13")).json()).turns[9].text));
  const w10 = [...text10.matchAll(/\S+/g)];
  const kq = text10.slice(w10[1].index, w10[3].index + w10[3][0].length);
  const ks = Array.from(text10.slice(0, w10[1].index)).length;
  await page.keyboard.press("2");
  await waitStatus(page, /Kodet int-13#10/);
  check("a passage selected by keyboard alone (v, l, w) is coded with its offsets and quote",
    coderFile().includes(`int-13#10,${state.codes[1].id},accepted,,`) &&
      coderFile().includes(`,${ks},${ks + Array.from(kq).length},`) && coderFile().includes(kq), `${kq}\n${coderFile().split("\n").slice(-2).join("\n")}`);

  // the help overlay
  await page.keyboard.press("?");
  check("? shows the keyboard help", await page.locator("#help").isVisible());
  await page.keyboard.press("Escape");
  check("Escape closes it", !(await page.locator("#help").isVisible()));

  // create a code with Danish letters, then rename it
  await page.evaluate(() => { location.hash = "#/codebook"; });
  await page.waitForSelector("#new-label");
  await page.fill("#new-label", "Arbejdsmiljø på stuen");
  await page.fill("#new-definition", "Når turen handler om arbejdsstillinger.");
  await page.click("#new-save");
  await waitStatus(page, /Oprettet: arbejdsmiljoe-paa-stuen/);
  await page.fill("#rn-arbejdsmiljoe-paa-stuen", "Ergonomi");
  await page.fill("#ri-arbejdsmiljoe-paa-stuen", "ergonomi");
  await page.click("#rename-arbejdsmiljoe-paa-stuen");
  await waitStatus(page, /Omdøbt/);
  const book = readFileSync(`${study}/../../codebooks/sundtek-cues.toml`, "utf8");
  check("the codebook has the renamed code with its old id as an alias",
    book.includes('id = "ergonomi"') && book.includes('label = "Ergonomi"') && book.includes('aliases = ["arbejdsmiljoe-paa-stuen"]'));
  check("the codebook keeps its comments", book.split("\n").filter((l) => l.startsWith("#")).length > 0);

  // reload: everything is kept
  await page.reload({ waitUntil: "load" });
  await page.evaluate(() => { location.hash = "#/doc/int-13/6"; });
  await page.waitForSelector("article.turn.focused#turn-6");
  const m6 = await page.locator("#turn-6 .margin").textContent();
  check("after a reload the passage coding is there", m6.includes("MH") && m6.includes("«" + quote + "»"), m6);
  const m4 = await page.locator("#turn-4 .margin").textContent();
  check("after a reload the accepted suggestion is decided", m4.includes("MH: accepteret"), m4);
  const m8 = await page.locator("#turn-8 .margin").textContent();
  check("after a reload the rejection and the memo are there", m8.includes("MH: afvist") && m8.includes("MH afvist") && m8.includes("Kontekst? Nej"), m8);
  await page.evaluate(() => { location.hash = "#/codebook"; });
  await page.waitForSelector("#code-ergonomi");
  check("after a reload the renamed code is in the codebook", (await page.locator("#code-ergonomi summary").textContent()).includes("tidligere: arbejdsmiljoe-paa-stuen"));

  // search opens the transcript at the turn
  await page.keyboard.press("/");
  await page.keyboard.type("skærmbesøg");
  await page.keyboard.press("Enter");
  await page.waitForSelector("ol.hits li");
  const marks = await page.locator("ol.hits mark").allTextContents();
  check("search shows hits with the word marked", marks.length > 0 && marks.every((m) => m.toLowerCase().startsWith("skærmbesøg")), marks.join(", "));
  await page.locator('ol.hits li a[href$="/int-13/4"]').click();
  await page.waitForSelector("article.turn.focused");
  check("a hit opens the transcript at its turn", /#\/doc\/int-13\/4$/.test(page.url()) && await page.locator("article.turn.focused#turn-4").count() === 1, page.url());

  // the review queue and the disagreement view render
  await page.evaluate(() => { location.hash = "#/review/technofix"; });
  await page.waitForSelector(".codeinfo");
  check("the review queue shows the code's definition and a suggestion", (await page.locator(".review .ctx.current").count()) === 1);
  const before = rows();
  await page.keyboard.press("a");
  await waitStatus(page, /Accepteret/);
  check("a in the review queue accepts", rows() === before + 1 && coderFile().split("\n").filter(Boolean).pop().includes(",technofix,accepted,"));
  await page.evaluate(() => { location.hash = "#/disagree/R01/R02"; });
  await page.waitForSelector("section.cell", { timeout: 60000 }).catch(() => {});
  check("the disagreement view lists cells with both coders", (await page.locator("section.cell").count()) > 0,
    (await page.locator("main").textContent()).slice(0, 400));

  check("no console errors", errors.length === 0, errors.join(" | "));
  check("nothing is fetched from another origin", foreign.length === 0, foreign.join(" "));

  // the screenshot a person looks at
  await page.evaluate(() => { location.hash = "#/doc/int-13/6"; });
  await page.waitForSelector("article.turn.focused#turn-6");
  await page.screenshot({ path: screenshot });

  // two browsers coding at once
  const ctxA = await browser.newContext();
  const ctxB = await browser.newContext();
  const a = await openPage(ctxA);
  const b = await openPage(ctxB);
  const start = rows();
  const codeTurns = async (p, doc, key) => {
    await p.evaluate((d) => { location.hash = "#/doc/" + d; }, doc);
    await p.waitForSelector("article.turn.focused#turn-1");
    for (let i = 0; i < 8; i++) {
      const seg = await p.locator("article.turn.focused .meta .id").textContent();
      await p.keyboard.press(key);
      await p.waitForFunction((s) => document.getElementById("status").textContent.includes("Kodet " + s), seg);
      await p.keyboard.press("j");
    }
  };
  await Promise.all([codeTurns(a.page, "int-01", "2"), codeTurns(b.page, "int-02", "3")]);
  const after = coderFile().split("\n");
  check("two browsers coding at once lose nothing", rows() === start + 16
    && after.filter((l) => l.startsWith("int-01#")).length === 8 && after.filter((l) => l.startsWith("int-02#")).length === 8, `${rows() - start} rows`);

  // accessibility: axe-core on the transcript, the documents and the codebook
  const axeCtx = await browser.newContext({ bypassCSP: true, viewport: { width: 1366, height: 900 } });
  const x = await openPage(axeCtx);
  const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
  for (const hash of ["#/", "#/doc/int-13/6", "#/codebook", "#/review/technofix"]) {
    await x.page.evaluate((h) => { location.hash = h; }, hash);
    await x.page.waitForTimeout(800);
    await x.page.addScriptTag({ path: axePath });
    const found = await x.page.evaluate(async () => (await window.axe.run(document)).violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id} (${v.nodes.length}): ${v.nodes[0].target}`));
    check(`axe finds no serious or critical violation on ${hash}`, found.length === 0, found.join("; "));
  }

  // a 300,000-character transcript: the first screen comes alone, the rest
  // in chunks; a turn outside the first screen is reached by keyboard and
  // coded, and in the end every turn is drawn, in order
  const big = await startServer([], long.root);
  try {
    const l = await openPage(await browser.newContext({ viewport: { width: 1366, height: 900 } }), big.at);
    await l.page.waitForSelector("table.docs tbody tr");
    // the chunks after the first screen wait until the keys have been pressed
    let release;
    const gate = new Promise((ok) => { release = ok; });
    const reads = [];
    await l.page.route(/\/api\/doc\/big-01/, async (r) => {
      // a turn read again after an action (?turn=) is not a part
      const q = new URL(r.request().url()).searchParams;
      if (!q.has("turn")) {
        reads.push([q.get("from"), q.get("to")]);
        if (reads.length > 1) await gate;
      }
      await r.continue();
    });
    await l.page.evaluate(() => { location.hash = "#/doc/big-01/100"; });
    await l.page.waitForSelector("article.turn.focused#turn-100");
    const first = await l.page.evaluate(() => ({ drawn: document.querySelectorAll("article.turn").length, total: S.doc.total }));
    check("a long transcript opens at its turn with only the first screen fetched", first.total > 2000 && first.drawn <= 40
      && reads.length >= 1 && reads[0][0] === "89" && reads[0][1] === "129"
      && await l.page.locator("#turn-205").count() === 0, JSON.stringify({ first, reads }));
    // turn 129 is the first screen's last; j from there waits for the rest
    for (let i = 0; i < 105; i++) await l.page.keyboard.press("j");
    release();
    await l.page.waitForSelector("article.turn.focused#turn-205");
    await l.page.keyboard.press("1");
    await waitStatus(l.page, /Kodet big-01#205:/);
    const bigFile = readFileSync(path.join(long.root, "codings/MH.csv"), "utf8");
    check("a turn past the first screen is reached with j and coded", bigFile.split("\n").some((x) => x.startsWith("big-01#205,")), bigFile.slice(-300));
    // the last turn, from the documents list, is drawn and focused too; with
    // no key pressed, the turns before it are drawn as they arrive
    await l.page.evaluate(() => { location.hash = "#/"; });
    await l.page.waitForSelector("table.docs tbody tr");
    const seen = (sel) => l.page.waitForSelector(sel, { timeout: 10000 }).then(() => true, () => false);
    reads.length = 0;
    await l.page.evaluate((n) => { location.hash = "#/doc/big-01/" + n; }, first.total);
    const last = await seen(`article.turn.focused#turn-${first.total}`);
    const all = await l.page.waitForFunction((n) => document.querySelectorAll("article.turn").length === n, first.total, { timeout: 30000 }).then(() => true, () => false);
    const order = await l.page.evaluate(() => [...document.querySelectorAll("article.turn")].every((a, i) => a.dataset.i === String(i) && a.id === "turn-" + (i + 1)));
    const whole = reads.every(([f, t]) => f !== null && t !== null) && reads.length > 2;
    check("the rest of a long transcript arrives in chunks and every turn is drawn in order", all && order && whole, JSON.stringify(reads));
    await l.page.keyboard.press("k");
    check("a long transcript opens at its last turn, and k moves up from it", last && await seen(`article.turn.focused#turn-${first.total - 1}`));
    check("no console errors on the long transcript", l.errors.length === 0, l.errors.join(" | "));
  } finally {
    big.proc.kill("SIGTERM");
  }

  // the same study with --lang en: the page and the script's texts are English
  const en = await startServer(["--lang", "en"]);
  try {
    const e = await openPage(await browser.newContext(), en.at);
    await e.page.waitForSelector("table.docs tbody tr");
    const enNav = (await e.page.locator("header nav a").allTextContents()).join(",");
    const enMain = await e.page.locator("main").textContent();
    check("--lang en gives an English page", enNav === "Documents,Review,Codebook,Disagreements"
      && await e.page.getAttribute("html", "lang") === "en" && /\d+ turns coded/.test(enMain)
      && enMain.includes("Participants") && !enMain.includes("ture kodet"), `${enNav} ${enMain.slice(0, 200)}`);
    await e.page.evaluate(() => { location.hash = "#/doc/int-13/4"; });
    await e.page.waitForSelector("article.turn.focused#turn-4");
    const enMargin = await e.page.locator("#turn-4 .margin").textContent();
    check("the English transcript view names suggestions and decisions in English", enMargin.includes("suggestion")
      && enMargin.includes("MH: accepted") && await e.page.locator("#turn-4 .text").getAttribute("lang") === "da", enMargin);
    check("no console errors in English", e.errors.length === 0, e.errors.join(" | "));
  } finally {
    en.proc.kill("SIGTERM");
  }
} finally {
  await browser.close();
  server.kill("SIGTERM");
  rmSync(long.tmp, { recursive: true, force: true });
}

// the files are what spor reads: spor run counts the codings, the audit traces them
const run = spawnSync(spor, ["--study", study, "--quiet", "run"], { encoding: "utf8" });
check("spor run succeeds on the coded study", run.status === 0 || run.status === 1, `${run.status} ${run.stderr}`);
let codings = "";
try { codings = readFileSync(`${study}/out/codings.csv`, "utf8"); } catch { /* checked below */ }
check("spor run counts the browser's codings", codings.split("\n").some((l) => l.includes("int-13#6") && l.includes("coder:MH") && l.includes("user-involvement")));
const audit = spawnSync(spor, ["--study", study, "audit", "--json"], { encoding: "utf8" });
let auditJson = null;
try { auditJson = JSON.parse(audit.stdout); } catch { /* checked below */ }
check("spor audit runs on the coded study and reads the coder's file", auditJson !== null && (audit.status === 0 || audit.status === 1), `${audit.status} ${audit.stderr.slice(0, 400)}`);
const coderErrors = auditJson ? JSON.stringify(auditJson).match(/MH\.csv[^"]*/g) || [] : ["no audit"];
check("the audit finds nothing wrong with the coder's file", coderErrors.length === 0, coderErrors.join(" "));

const failed = results.filter((r) => !r.ok).length;
console.log(`${results.length - failed} of ${results.length} checks passed`);
process.exit(failed ? 1 : 0);
