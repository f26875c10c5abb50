// spor serve: the coding workbench page. Plain JavaScript, no build step.
// Every action is a POST that appends one row to the coder's file.
'use strict';

const S = {
  state: null,      // /api/state: study, coder, csrf, coders, codes
  doc: null,        // the open document
  focus: 0,         // index of the focused turn
  undo: [],         // this session's codings, newest last
  pickFor: null,    // what the code picker codes
  pickItems: [],
  pickIndex: 0,
  memoTargets: [],
  lastFocus: null,
  ksel: null,       // a passage chosen by keyboard: { i, a, b } word indices
};

const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const k of kids.flat()) {
    if (k === null || k === undefined || k === false) continue;
    e.append(k instanceof Node ? k : document.createTextNode(String(k)));
  }
  return e;
}

async function api(path, body) {
  const opt = body === undefined ? {} : {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': S.state ? S.state.csrf : '' },
    body: JSON.stringify(body),
  };
  const r = await fetch(path, opt);
  let j;
  try { j = await r.json(); } catch (_) { j = { error: r.status + ' ' + r.statusText }; }
  if (!r.ok) throw new Error(j.error || r.statusText);
  return j;
}

/// An interface text in the study's language (the table the server gives
/// in /api/state), its {name} placeholders filled in from vars.
function t(key, vars) {
  const s = (S.state && S.state.texts && S.state.texts[key]) || key;
  return s.replace(/\{(\w+)\}/g, (m, k) => (vars && k in vars ? String(vars[k]) : m));
}

function say(msg, bad) {
  const s = $('status');
  s.textContent = msg;
  s.classList.toggle('bad', !!bad);
}

function codeById(id) { return S.state.codes.find((c) => c.id === id || (c.aliases || []).includes(id)); }
function codeName(id) { const c = codeById(id); return c ? c.n + ' ' + c.label : id; }
function coderIndex(name) { return Math.max(0, S.state.coders.indexOf(name)); }
function chars(s) { return Array.from(s); }

/// A decision's name (accepted, rejected, suggested, withdrawn) in the
/// study's language.
function statusText(s) {
  const names = { accepted: t('status_accepted'), rejected: t('status_rejected'), suggested: t('status_suggested'), withdrawn: t('status_withdrawn') };
  return names[s] || s;
}

async function loadState() {
  S.state = await api('/api/state');
  $('study').textContent = 'spor · ' + S.state.study;
  $('who').textContent = t('who', { coder: S.state.coder });
}

// ---------- routing ----------

async function route() {
  const h = decodeURIComponent(location.hash.replace(/^#\/?/, ''));
  const [view, ...rest] = h.split('/');
  closeDialogs();
  const ticket = ++routed;
  try {
    // a transcript is asked for while the state is on its way
    const state = loadState();
    if (view === 'doc') { await showDoc(rest[0], parseInt(rest[1] || '0', 10), state); return; }
    await state;
    // a newer address was asked for meanwhile (a transcript counts at once)
    if (ticket !== routed) return;
    if (view === 'search') await showSearch(rest.join('/'));
    else if (view === 'review') await showReview(rest[0]);
    else if (view === 'codebook') await showCodebook(rest[0]);
    else if (view === 'disagree') await showDisagree(rest[0], rest[1]);
    else await showDocuments();
  } catch (e) {
    say(t('error', { message: e.message }), true);
  }
}

function page(title, ...kids) {
  S.doc = view === 'doc' ? S.doc : null;
  const m = $('main');
  m.replaceChildren(el('h1', { text: title }), ...kids.flat().filter((k) => k));
  document.title = title + ' · spor';
}
let view = '';
// Every view started counts; one whose data arrive after a newer view was
// started is not drawn, so the view asked for last wins, whichever answer
// comes first.
let drawing = 0;
// Every route() started counts too, in the order the addresses changed.
let routed = 0;

// ---------- documents ----------

async function showDocuments() {
  const me = ++drawing;
  view = 'docs';
  const d = await api('/api/documents');
  if (me !== drawing) return;
  const head = el('tr', {}, [t('col_document'), t('col_kind'), t('col_phase'), t('col_date'), t('col_participants'), t('col_turns'), t('col_progress')]
    .map((h) => el('th', { scope: 'col', text: h })));
  const rows = d.documents.map((doc) => el('tr', {},
    el('td', {}, el('a', { href: '#/doc/' + encodeURIComponent(doc.id), text: doc.id })),
    el('td', { text: doc.kind }), el('td', { text: doc.phase }), el('td', { text: doc.date }),
    el('td', { text: doc.participants.join(', ') }), el('td', { class: 'num', text: doc.turns }),
    el('td', {}, el('ul', { class: 'progress' }, doc.progress.map((p) => el('li', {},
      el('span', { class: 'badge pat-' + (coderIndex(p.coder) % 4), text: p.coder }), ' ',
      p.done === 'all' ? t('done_all')
        : Array.isArray(p.done) ? t('done_for', { codes: p.done.join(', '), n: p.coded_turns })
          : t('turns_coded', { n: p.coded_turns })))))));
  page(t('nav_documents'), el('table', { class: 'docs' }, el('thead', {}, head), el('tbody', {}, rows)));
}

// ---------- transcript ----------

async function showDoc(id, turn, state) {
  const me = ++drawing;
  view = 'doc';
  const same = S.doc && S.doc.id === id;
  let want = turn > 0 ? turn - 1 : same ? S.focus : 0;
  // the first screen first (the turns around the one asked for); the rest
  // of a long transcript follows in chunks (loadRest)
  const base = '/api/doc/' + encodeURIComponent(id);
  const part = (lo) => api(base + '?from=' + lo + '&to=' + (lo + FIRST_TURNS));
  let [first] = await Promise.all([part(Math.max(0, want - FIRST_BEFORE)), state]);
  if (me !== drawing) return;
  if (want >= first.total && first.total > 0) {
    // past the end: the last turn, as a full read gives
    want = first.total - 1;
    first = await part(Math.max(0, first.total - FIRST_TURNS));
    if (me !== drawing) return;
  }
  const got = first.turns;
  const doc = Object.assign(first, { turns: new Array(first.total), rest: null });
  got.forEach((tu, k) => { doc.turns[first.offset + k] = tu; });
  doc.arrived = { lo: first.offset, hi: first.offset + got.length };
  S.doc = doc;
  S.focus = Math.max(0, Math.min(doc.total - 1, want));
  if (got.length < doc.total) {
    // asked for once the first screen is painted, so that paint waits for nothing
    doc.rest = afterPaint().then(() => loadRest(doc, base))
      .catch((e) => say(t('error', { message: e.message }), true));
  }
  renderDoc();
  focusTurn(S.focus, true);
}

/// Turns per request after the first screen.
const REST_CHUNK = 400;

/// Resolves after the next paint (a task queued from an animation frame
/// runs once that frame is painted).
function afterPaint() {
  return new Promise((ok) => requestAnimationFrame(() => setTimeout(ok, 0)));
}

/// Fetch the turns of a long transcript that the first screen left out,
/// a chunk at a time: first those after it, then those before it, so the
/// turns that have arrived always lie next to each other, and each chunk is
/// drawn (drawMore) while the next one is on its way. Resolves when every
/// turn has arrived (or the page has moved on to another view).
async function loadRest(doc, base) {
  const a = doc.arrived;
  while (S.doc === doc && (a.lo > 0 || a.hi < doc.total)) {
    const after = a.hi < doc.total;
    const from = after ? a.hi : Math.max(0, a.lo - REST_CHUNK);
    const to = after ? Math.min(doc.total, a.hi + REST_CHUNK) : a.lo;
    const r = await api(base + '?from=' + from + '&to=' + to);
    if (S.doc !== doc) return;
    if (r.total !== doc.total) { await refreshDoc(); return; }
    // a turn read again after an action (refreshTurn) is kept as it is
    r.turns.forEach((tu, k) => { if (!doc.turns[from + k]) doc.turns[from + k] = tu; });
    if (after) a.hi = to; else a.lo = from;
    drawMore(false);
  }
}

/// Turn `i` of the open transcript, waiting for the rest of a long one
/// when it has not arrived yet (null when there is no such turn).
async function arrived(i) {
  const d = S.doc;
  if (!d || i < 0 || i >= d.turns.length) return null;
  if (!d.turns[i] && d.rest) await d.rest;
  return S.doc === d ? d.turns[i] || null : null;
}

function passagesOf(tu) {
  const out = [];
  for (const c of tu.codings) {
    if (c.decision !== 'accepted') continue;
    for (const p of c.passages || []) out.push([p.start, p.end]);
  }
  out.sort((a, b) => a[0] - b[0]);
  const merged = [];
  for (const r of out) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return merged;
}

function textNode(tu) {
  const box = el('div', { class: 'text', lang: 'da' });
  const ranges = passagesOf(tu);
  if (!ranges.length) { box.textContent = tu.text; return box; }
  const cs = chars(tu.text);
  let at = 0;
  for (const [s, e] of ranges) {
    if (s > at) box.append(cs.slice(at, s).join(''));
    box.append(el('mark', { class: 'passage', text: cs.slice(s, e).join('') }));
    at = e;
  }
  if (at < cs.length) box.append(cs.slice(at).join(''));
  return box;
}

/// One stripe per code: the coders who applied it (a badge each, with its
/// own border pattern), struck through where a coder rejected it.
function stripes(tu) {
  const by = new Map();
  for (const c of tu.codings) {
    if (!by.has(c.code)) by.set(c.code, []);
    by.get(c.code).push(c);
  }
  return [...by.entries()].map(([code, cs]) => {
    const applied = cs.some((c) => c.decision === 'accepted');
    return el('li', { class: 'stripe human' + (applied ? '' : ' rejected') },
      el('span', { class: 'code', text: codeName(code) }), ' ',
      cs.map((c) => {
        const i = coderIndex(c.coder) % 4;
        const quote = (c.passages || []).map((p) => '«' + p.quote + '»').join(' ');
        const no = c.decision !== 'accepted';
        return el('span', { class: 'by' },
          el('span', { class: 'badge pat-' + i + (no ? ' no' : ''), title: no ? t('coder_rejected', { coder: c.coder }) : t('coder_coded', { coder: c.coder }), text: c.coder }),
          no ? el('span', { class: 'tag', text: ' ' + t('tag_rejected') }) : null,
          quote ? el('span', { class: 'quote', text: ' ' + quote }) : null,
          c.memo && !tu.memos.some((m) => m.text === c.memo) ? el('span', { class: 'memo', text: ' ' + t('memo_inline', { text: c.memo }) }) : null, ' ');
      }));
  });
}

function suggestion(tu, g) {
  const decided = g.mine;
  const learned = g.probability !== null && g.probability !== undefined;
  const li = el('li', { class: 'stripe sugg' + (decided ? ' decided' : '') },
    el('span', { class: 'badge sugg', text: learned ? 'M' : 'R' }), ' ',
    el('span', { class: 'code', text: codeName(g.code) }),
    el('span', { class: 'tag', text: ' ' + (learned ? t('tag_learned', { p: g.probability.toFixed(2) }) : t('tag_suggestion')) + (decided ? ' · ' + S.state.coder + ': ' + statusText(decided) : '') }),
    el('div', { class: 'matched', text: learned ? t('model_words', { words: g.matched.split(' ').join(', ') }) : t('matched_words', { words: g.matched.split(' ').join(', ') }) }));
  if (!decided) {
    li.append(el('div', { class: 'row' },
      el('button', { type: 'button', class: 'small', 'aria-label': t('accept_suggestion', { code: codeName(g.code), turn: tu.segment }), onclick: () => decide(tu, g.code, 'accepted', true) }, t('accept')),
      el('button', { type: 'button', class: 'small', 'aria-label': t('reject_suggestion', { code: codeName(g.code), turn: tu.segment }), onclick: () => decide(tu, g.code, 'rejected', false) }, t('reject'))));
  }
  return li;
}

function turnNode(tu, i) {
  const meta = el('div', { class: 'meta' },
    el('span', { class: 'id', text: tu.segment }),
    el('span', { class: 'lines', text: t('lines', { lines: tu.line_start + (tu.line_end !== tu.line_start ? '–' + tu.line_end : '') }) }),
    tu.timestamp ? el('span', { class: 'time', text: tu.timestamp }) : null,
    el('span', { class: 'speaker', text: tu.speaker }),
    tu.role === 'participant' ? el('span', { class: 'who', text: tu.participant + ' · ' + tu.profession }) : el('span', { class: 'who', text: tu.role }));
  const margin = el('ul', { class: 'margin', 'aria-label': t('margin_label') },
    stripes(tu), tu.suggestions.map((g) => suggestion(tu, g)),
    tu.memos.map((m) => el('li', { class: 'stripe memo-row' }, el('span', { class: 'badge pat-' + (coderIndex(m.coder) % 4), text: m.coder }), ' ' + t('memo_on', { code: codeName(m.target.code), text: m.text }))));
  const art = el('article', { class: 'turn role-' + tu.role, id: 'turn-' + tu.turn, tabindex: '-1', 'data-i': i, 'aria-label': t('turn_label', { turn: tu.segment, speaker: tu.speaker }) },
    meta, textNode(tu), margin);
  art.addEventListener('click', () => { S.focus = i; markFocus(); });
  return art;
}

function renderDoc() {
  const d = S.doc;
  const memos = d.memos.map((m) => el('li', {}, el('span', { class: 'badge pat-' + (coderIndex(m.coder) % 4), text: m.coder }), ' ' + m.text));
  view = 'doc';
  const m = $('main');
  const box = el('div', { class: 'turns' });
  m.replaceChildren(...[
    el('h1', { text: d.id }),
    el('p', { class: 'docmeta', text: [d.kind, t('doc_phase', { phase: d.phase }), d.date, d.file, t('doc_turns', { n: d.turns.length })].join(' · ') }),
    memos.length ? el('section', { class: 'docmemos', 'aria-label': t('doc_memos_label') }, el('h2', { text: t('memos') }), el('ul', {}, memos)) : null,
    el('p', { class: 'keys', text: t('doc_keys') }),
    box,
  ].filter((k) => k));
  S.focused = null;
  document.title = d.id + ' · spor';
  // a long transcript is drawn around the focused turn first, the rest in
  // chunks after the first paint (scroll anchoring keeps the view still),
  // as far as its turns have arrived (showDoc, loadRest)
  let lo = Math.max(0, Math.min(S.focus - FIRST_BEFORE, d.turns.length - FIRST_TURNS));
  let hi = Math.min(d.turns.length, lo + FIRST_TURNS);
  while (lo < hi && !d.turns[lo]) lo++;
  while (hi > lo && !d.turns[hi - 1]) hi--;
  box.append(...d.turns.slice(lo, hi).map((tu, k) => turnNode(tu, lo + k)));
  S.drawn = { doc: d, box, lo, hi, timer: null };
  if (lo > 0 || hi < d.turns.length) afterPaint().then(later);
}

/// Turns fetched and drawn before the first paint (a screen holds about
/// ten), and how many of them come before the focused turn.
const FIRST_TURNS = 40;
const FIRST_BEFORE = 10;
/// Turns drawn per task after the first paint: small enough that the page
/// answers keys and scrolls between two.
const DRAW_CHUNK = 60;

/// Draw more of the transcript soon (once, however often it is asked).
function later() {
  const p = S.drawn;
  if (p && !p.timer) p.timer = setTimeout(() => { p.timer = null; drawMore(false); }, 0);
}

/// Draw the rest of the transcript that has arrived: a chunk (then again
/// later), or all of it at once when a turn not drawn yet is needed now.
function drawMore(all) {
  const p = S.drawn;
  if (!p || p.doc !== S.doc) return;
  const turns = p.doc.turns;
  const n = turns.length;
  let budget = all ? Infinity : DRAW_CHUNK;
  const after = [];
  while (p.hi < n && budget > 0 && turns[p.hi]) { after.push(turnNode(turns[p.hi], p.hi)); p.hi++; budget--; }
  p.box.append(...after);
  let from = p.lo;
  while (from > 0 && p.lo - from < budget && turns[from - 1]) from--;
  if (from < p.lo) {
    p.box.prepend(...turns.slice(from, p.lo).map((tu, k) => turnNode(tu, from + k)));
    p.lo = from;
  }
  // more to draw now; what has not arrived is drawn when it comes (loadRest)
  if ((p.hi < n && turns[p.hi]) || (p.lo > 0 && turns[p.lo - 1])) later();
}

/// The drawn turn `i`, drawing the rest first if it is not drawn yet.
function turnAt(i) {
  const p = S.drawn;
  if (p && p.doc === S.doc && (i < p.lo || i >= p.hi)) drawMore(true);
  return document.querySelector('article.turn[data-i="' + i + '"]');
}

function markFocus() {
  // only the turn that had the focus and the one that gets it change
  if (S.focused && document.contains(S.focused)) S.focused.classList.remove('focused');
  else document.querySelectorAll('article.turn.focused').forEach((a) => a.classList.remove('focused'));
  const a = turnAt(S.focus);
  if (a) a.classList.add('focused');
  S.focused = a;
}

function focusTurn(i, scroll) {
  const n = S.doc ? S.doc.turns.length : 0;
  if (!n) return;
  S.focus = Math.max(0, Math.min(n - 1, i));
  markFocus();
  const a = S.focused;
  if (!a) return;
  // never take the focus from an open dialog (a refresh may end while one is open)
  if (dialogOpen()) return;
  a.focus({ preventScroll: true });
  if (scroll) a.scrollIntoView({ block: 'nearest' });
}

/// The selected passage inside one turn, in chars of the turn's text.
function selection() {
  const sel = window.getSelection();
  if (!sel || sel.isCollapsed || !sel.rangeCount) return null;
  const r = sel.getRangeAt(0);
  const box = (n) => (n.nodeType === 1 ? n : n.parentElement).closest('.text');
  const a = box(r.startContainer), b = box(r.endContainer);
  if (!a || a !== b) return null;
  const art = a.closest('article.turn');
  const i = parseInt(art.dataset.i, 10);
  const tu = S.doc.turns[i];
  const u16 = (node, off) => { const x = document.createRange(); x.setStart(a, 0); x.setEnd(node, off); return x.toString().length; };
  let s = chars(tu.text.slice(0, u16(r.startContainer, r.startOffset))).length;
  let e = chars(tu.text.slice(0, u16(r.endContainer, r.endOffset))).length;
  const cs = chars(tu.text);
  while (s < e && /\s/.test(cs[s])) s++;
  while (e > s && /\s/.test(cs[e - 1])) e--;
  if (s >= e) return null;
  return { i, start: s, end: e, quote: cs.slice(s, e).join('') };
}

/// Words of a turn's text as [start, end) in UTF-16 units.
function wordsOf(text) {
  const out = [];
  for (const m of text.matchAll(/\S+/g)) out.push([m.index, m.index + m[0].length]);
  return out;
}

/// Select [from, to) (UTF-16 units of the turn's text) in a turn's text
/// box as the page's own selection, so every key that codes a selection
/// (c, 1-9, a) takes it as it takes one made with the mouse.
function selectUnits(box, from, to) {
  const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
  const r = document.createRange();
  let seen = 0, started = false, node;
  while ((node = walker.nextNode())) {
    const len = node.nodeValue.length;
    if (!started && from <= seen + len) { r.setStart(node, from - seen); started = true; }
    if (started && to <= seen + len) { r.setEnd(node, to - seen); break; }
    seen += len;
  }
  const sel = window.getSelection();
  sel.removeAllRanges();
  sel.addRange(r);
}

/// Keyboard selection of a passage: v starts at the focused turn's first
/// word; l/h move its end a word right/left, L/H its start; w/b move the
/// whole passage a word; Esc drops it.
function keySelect(k) {
  const i = S.focus;
  const tu = S.doc.turns[i];
  const art = turnAt(i);
  const box = art && art.querySelector('.text');
  const words = wordsOf(tu.text);
  if (!box || !words.length) return false;
  let ks = S.ksel && S.ksel.i === i ? { ...S.ksel } : null;
  if (k === 'v') ks = { i, a: 0, b: 0 };
  else if (!ks) return false;
  const last = words.length - 1;
  if (k === 'l') ks.b = Math.min(last, ks.b + 1);
  else if (k === 'h') ks.b = Math.max(ks.a, ks.b - 1);
  else if (k === 'L') ks.a = Math.min(ks.b, ks.a + 1);
  else if (k === 'H') ks.a = Math.max(0, ks.a - 1);
  else if (k === 'w' && ks.b < last) { ks.a += 1; ks.b += 1; }
  else if (k === 'b' && ks.a > 0) { ks.a -= 1; ks.b -= 1; }
  S.ksel = ks;
  selectUnits(box, words[ks.a][0], words[ks.b][1]);
  const p = selection();
  say(t('selected', { quote: p ? p.quote : '' }));
  return true;
}

async function codeTurn(i, code, status, passage) {
  const tu = S.doc.turns[i];
  const body = { segment: tu.segment, code, status };
  if (passage) { body.start = passage.start; body.end = passage.end; body.quote = passage.quote; }
  await api('/api/code', body);
  S.undo.push({ segment: tu.segment, code, status, passage });
  window.getSelection().removeAllRanges();
  S.ksel = null;
  await refreshTurn(i);
  const what = { turn: tu.segment, code: codeName(code) };
  say((status === 'accepted' ? t('coded_turn', what) : t('rejected_turn', what)) + (passage ? ' «' + passage.quote + '»' : ''));
}

/// Read one turn again and redraw only it (a long transcript is not
/// redrawn for one action).
async function refreshTurn(i) {
  const seg = S.doc.turns[i].segment;
  const r = await api('/api/doc/' + encodeURIComponent(S.doc.id) + '?turn=' + encodeURIComponent(seg));
  S.doc.turns[i] = r.turn;
  const old = turnAt(i);
  if (!old) { await refreshDoc(); return; }
  const fresh = turnNode(r.turn, i);
  old.replaceWith(fresh);
  S.focused = null;
  focusTurn(S.focus, false);
}

async function refreshDoc() {
  const y = window.scrollY;
  S.doc = await api('/api/doc/' + encodeURIComponent(S.doc.id));
  renderDoc();
  window.scrollTo(0, y);
  focusTurn(S.focus, false);
}

async function decide(tu, code, status, allowPassage) {
  S.focus = S.doc.turns.indexOf(tu);
  const p = allowPassage ? selection() : null;
  try { await codeTurn(S.focus, code, status, p && p.i === S.focus ? p : null); } catch (e) { say(t('error', { message: e.message }), true); }
}

function pending(tu) { return tu.suggestions.find((g) => !g.mine); }

async function undo() {
  const last = S.undo.pop();
  if (!last) { say(t('nothing_to_undo')); return; }
  const body = { segment: last.segment, code: last.code, status: 'withdrawn' };
  // a passage is taken back alone; the rest of the coding stays
  if (last.passage) { body.start = last.passage.start; body.end = last.passage.end; body.quote = last.passage.quote; }
  await api('/api/code', body);
  if (S.doc && view === 'doc') {
    const i = S.doc.turns.findIndex((tu) => tu && tu.segment === last.segment);
    if (i >= 0) await refreshTurn(i); else await refreshDoc();
  }
  say(t('undone', { turn: last.segment, code: codeName(last.code) }));
}

// ---------- code picker ----------

function openPicker(forWhat) {
  S.pickFor = forWhat;
  S.lastFocus = document.activeElement;
  $('picker-what').textContent = forWhat.passage ? t('picker_passage', { quote: forWhat.passage.quote }) : t('picker_turn', { turn: S.doc.turns[forWhat.i].segment });
  $('picker-input').value = '';
  $('picker').hidden = false;
  fillPicker();
  $('picker-input').focus();
}

function norm(s) { return (s || '').normalize('NFC').toLocaleLowerCase('da'); }

function fillPicker() {
  const q = norm($('picker-input').value.trim());
  const items = S.state.codes.filter((c) => !q || norm(c.label).includes(q) || norm(c.label_en).includes(q) || norm(c.id).includes(q));
  S.pickItems = items.map((c) => ({ code: c.id, label: c.n + '  ' + c.label + (c.label_en ? ' (' + c.label_en + ')' : '') }));
  if (q && !S.state.codes.some((c) => norm(c.label) === q)) {
    S.pickItems.push({ create: $('picker-input').value.trim(), label: t('picker_new', { label: $('picker-input').value.trim() }) });
  }
  S.pickIndex = 0;
  drawPicker();
}

function drawPicker() {
  const ul = $('picker-list');
  ul.replaceChildren(...S.pickItems.map((it, i) => el('li', {
    role: 'option', id: 'pick-' + i, 'aria-selected': i === S.pickIndex ? 'true' : 'false',
    class: i === S.pickIndex ? 'on' : '', onclick: () => { S.pickIndex = i; pick(); },
  }, it.label)));
  $('picker-input').setAttribute('aria-activedescendant', S.pickItems.length ? 'pick-' + S.pickIndex : '');
}

async function pick() {
  const it = S.pickItems[S.pickIndex];
  if (!it) return;
  const f = S.pickFor;
  $('picker').hidden = true;
  try {
    let code = it.code;
    if (it.create) {
      const r = await api('/api/codebook/add', { label: it.create });
      await loadState();
      code = r.id;
    }
    await codeTurn(f.i, code, 'accepted', f.passage);
  } catch (e) { say(t('error', { message: e.message }), true); }
}

// ---------- memos ----------

function openMemo(targets) {
  S.memoTargets = targets;
  S.lastFocus = document.activeElement;
  $('memo-target').replaceChildren(...targets.map((tu, i) => el('option', { value: String(i) }, tu.label)));
  $('memo-text').value = '';
  $('memo').hidden = false;
  $('memo-text').focus();
}

function memoTargetsForTurn() {
  const tu = S.doc.turns[S.focus];
  const out = [];
  const seen = new Set();
  const mine = tu.codings.filter((c) => c.coder === S.state.coder);
  for (const c of [...mine, ...tu.suggestions]) {
    if (seen.has(c.code)) continue;
    seen.add(c.code);
    out.push({ label: t('memo_coding', { code: codeName(c.code), turn: tu.segment }), body: { segment: tu.segment, code: c.code } });
  }
  out.push({ label: t('memo_document', { document: S.doc.id }), body: { document: S.doc.id } });
  for (const c of S.state.codes) out.push({ label: t('memo_code', { code: c.n + ' ' + c.label }), body: { code: c.id } });
  return out;
}

async function saveMemo() {
  const tu = S.memoTargets[parseInt($('memo-target').value, 10)];
  const text = $('memo-text').value.trim();
  if (!text) { say(t('memo_empty'), true); return; }
  try {
    await api('/api/memo', Object.assign({ text }, tu.body));
    closeDialogs();
    if (view === 'doc' && tu.body.segment) await refreshTurn(S.focus);
    else if (view === 'doc') await refreshDoc();
    else await route();
    say(t('memo_saved'));
  } catch (e) { say(t('error', { message: e.message }), true); }
}

function dialogOpen() { return ['picker', 'memo', 'help'].some((d) => !$(d).hidden); }

function closeDialogs() {
  const open = ['picker', 'memo', 'help'].some((d) => !$(d).hidden);
  for (const d of ['picker', 'memo', 'help']) $(d).hidden = true;
  if (open && S.lastFocus && document.contains(S.lastFocus)) S.lastFocus.focus({ preventScroll: true });
}

// ---------- keys ----------

function typing(e) {
  const tu = e.target;
  return tu && (tu.tagName === 'INPUT' || tu.tagName === 'TEXTAREA' || tu.tagName === 'SELECT' || tu.isContentEditable);
}

document.addEventListener('keydown', async (e) => {
  if (!$('picker').hidden) {
    if (e.key === 'Escape') { closeDialogs(); e.preventDefault(); }
    else if (e.key === 'ArrowDown') { S.pickIndex = Math.min(S.pickItems.length - 1, S.pickIndex + 1); drawPicker(); e.preventDefault(); }
    else if (e.key === 'ArrowUp') { S.pickIndex = Math.max(0, S.pickIndex - 1); drawPicker(); e.preventDefault(); }
    else if (e.key === 'Enter') { e.preventDefault(); await pick(); }
    else if (/^[1-9]$/.test(e.key) && $('picker-input').value === '') {
      e.preventDefault();
      const c = S.state.codes[parseInt(e.key, 10) - 1];
      if (c) { S.pickItems = [{ code: c.id }]; S.pickIndex = 0; await pick(); }
    }
    return;
  }
  if (!$('memo').hidden) {
    if (e.key === 'Escape') { closeDialogs(); e.preventDefault(); }
    else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); await saveMemo(); }
    return;
  }
  if (!$('help').hidden) {
    if (e.key === 'Escape' || e.key === '?') { closeDialogs(); e.preventDefault(); }
    return;
  }
  if (typing(e) || e.ctrlKey || e.metaKey || e.altKey) return;
  const k = e.key;
  if (k === '?') { S.lastFocus = document.activeElement; $('help').hidden = false; $('help-close').focus(); e.preventDefault(); return; }
  if (k === '/') { $('search-box').focus(); e.preventDefault(); return; }
  if (k === 'g') { location.hash = '#/'; return; }
  if (k === 'u') { e.preventDefault(); try { await undo(); } catch (err) { say(t('error', { message: err.message }), true); } return; }
  if (view === 'review') {
    if (k === 'a') { e.preventDefault(); $('review-accept') && $('review-accept').click(); }
    if (k === 'r') { e.preventDefault(); $('review-reject') && $('review-reject').click(); }
    return;
  }
  if (view !== 'doc' || !S.doc) return;
  const tu = S.doc.turns[S.focus];
  try {
    if (k === 'Escape' && S.ksel) { e.preventDefault(); S.ksel = null; window.getSelection().removeAllRanges(); return; }
    if (['v', 'l', 'h', 'L', 'H', 'w', 'b'].includes(k) && (k === 'v' || S.ksel)) {
      if (keySelect(k)) e.preventDefault();
      return;
    }
    if (k === 'j' || k === 'ArrowDown' || k === 'k' || k === 'ArrowUp') {
      e.preventDefault();
      S.ksel = null;
      const step = k === 'j' || k === 'ArrowDown' ? 1 : -1;
      // a long transcript's turn that has not arrived yet is waited for;
      // keys pressed meanwhile each move one turn once it has
      await arrived(Math.max(0, Math.min(S.doc.turns.length - 1, S.focus + step)));
      if (view !== 'doc' || !S.doc) return;
      const to = Math.max(0, Math.min(S.doc.turns.length - 1, S.focus + step));
      if (S.doc.turns[to]) focusTurn(to, true);
    }
    else if (k === 'c' || k === 'Enter') {
      if (e.target && (e.target.tagName === 'BUTTON' || e.target.tagName === 'A' || e.target.tagName === 'SUMMARY')) return;
      e.preventDefault();
      const p = selection();
      if (p) S.focus = p.i;
      openPicker({ i: S.focus, passage: p });
    } else if (/^[1-9]$/.test(k)) {
      const c = S.state.codes[parseInt(k, 10) - 1];
      if (!c) return;
      e.preventDefault();
      const p = selection();
      if (p) S.focus = p.i;
      await codeTurn(S.focus, c.id, 'accepted', p);
    } else if (k === 'a' || k === 'r') {
      e.preventDefault();
      const g = pending(tu);
      if (!g) { say(t('no_pending')); return; }
      await decide(tu, g.code, k === 'a' ? 'accepted' : 'rejected', k === 'a');
    } else if (k === 'm') {
      e.preventDefault();
      openMemo(memoTargetsForTurn());
    } else if (k === 'd') {
      e.preventDefault();
      // a done row cannot be taken back: ask first
      if (!window.confirm(t('confirm_done', { document: S.doc.id, coder: S.state.coder }))) return;
      await api('/api/done', { document: S.doc.id });
      say(t('done_marked', { document: S.doc.id, coder: S.state.coder }));
    }
  } catch (err) { say(t('error', { message: err.message }), true); }
});

document.addEventListener('DOMContentLoaded', () => {
  $('picker-input').addEventListener('input', fillPicker);
  $('memo-save').addEventListener('click', saveMemo);
  $('memo-cancel').addEventListener('click', closeDialogs);
  $('help-close').addEventListener('click', closeDialogs);
  $('help-button').addEventListener('click', () => { S.lastFocus = document.activeElement; $('help').hidden = false; $('help-close').focus(); });
  $('search-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const q = $('search-box').value.trim();
    if (q) location.hash = '#/search/' + encodeURIComponent(q);
  });
  window.addEventListener('hashchange', route);
  route();
});
