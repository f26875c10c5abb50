// spor serve: the views besides the transcript (search, the review queue,
// the codebook, the disagreement of two coders). Served as the second half
// of /app.js (crates/serve/src/assets.rs joins the two files), so it shares
// app.js's helpers and state.

// ---------- search ----------

async function showSearch(q) {
  const me = ++drawing;
  view = 'search';
  $('search-box').value = q;
  const r = await api('/api/search?q=' + encodeURIComponent(q));
  if (me !== drawing) return;
  const hits = r.hits.map((h) => {
    const cs = chars(h.text);
    const p = el('p', { class: 'text', lang: 'da' });
    let at = 0;
    for (const [s, e] of h.highlights) {
      if (s > at) p.append(cs.slice(at, s).join(''));
      p.append(el('mark', { text: cs.slice(s, e).join('') }));
      at = e;
    }
    if (at < cs.length) p.append(cs.slice(at).join(''));
    return el('li', { class: 'hit' },
      el('a', { href: '#/doc/' + encodeURIComponent(h.document) + '/' + h.turn, text: h.segment }),
      ' ' + h.participant + ' · ' + h.profession + ' · ' + h.speaker, p);
  });
  page(t('search_title', { query: q }), el('p', { text: t('search_found', { n: r.total }) + (r.total > hits.length ? ' ' + t('search_first', { n: hits.length }) : '') }), el('ol', { class: 'hits' }, hits));
}

// ---------- review ----------

function codeSelect(id, selected, withEmpty) {
  const s = el('select', { id });
  if (withEmpty) s.append(el('option', { value: '' }, t('none')));
  for (const c of S.state.codes) s.append(el('option', { value: c.id, selected: c.id === selected }, c.n + ' ' + c.label));
  return s;
}

function codeInfo(c) {
  return el('section', { class: 'codeinfo' },
    el('h2', { text: c.n + ' ' + c.label + ' (' + c.id + ')' }),
    el('p', { text: c.definition }),
    c.include.length ? el('div', {}, el('h3', { text: t('include') }), el('ul', {}, c.include.map((x) => el('li', { text: x })))) : null,
    c.exclude.length ? el('div', {}, el('h3', { text: t('exclude') }), el('ul', {}, c.exclude.map((x) => el('li', { text: x })))) : null,
    c.examples.length ? el('div', {}, el('h3', { text: t('examples') }), el('ul', {}, c.examples.slice(0, 3).map((x) => el('li', { text: x })))) : null);
}

async function showReview(code) {
  const me = ++drawing;
  view = 'review';
  const sel = codeSelect('review-code', code, false);
  sel.addEventListener('change', () => { location.hash = '#/review/' + encodeURIComponent(sel.value); });
  const pick = el('p', {}, el('label', { for: 'review-code', text: t('review_code') + ' ' }), sel);
  if (!code) { page(t('review_title'), pick); return; }
  const c = codeById(code);
  const r = await api('/api/review?code=' + encodeURIComponent(code));
  if (me !== drawing) return;
  const it = r.items[0];
  if (!it) { page(t('review_code_title', { code: c.label }), pick, codeInfo(c), el('p', { text: t('review_none') })); return; }
  const ctx = (tu, what) => tu ? el('div', { class: 'ctx' }, el('p', { class: 'meta', text: what + ' · ' + tu.segment + ' · ' + tu.speaker }), el('p', { class: 'text', text: tu.text })) : null;
  const memo = el('textarea', { id: 'review-memo', rows: '3' });
  const act = async (status) => {
    try {
      await api('/api/code', { segment: it.turn.segment, code: c.id, status, memo: memo.value.trim() });
      S.undo.push({ segment: it.turn.segment, code: c.id, status });
      say(status === 'accepted' ? t('review_accepted', { turn: it.turn.segment }) : t('review_rejected', { turn: it.turn.segment }));
      await showReview(code);
    } catch (e) { say(t('error', { message: e.message }), true); }
  };
  page(t('review_code_title', { code: c.label }), pick, codeInfo(c),
    el('p', { text: t('review_waiting', { n: r.items.length }) }),
    el('section', { class: 'review', 'aria-label': t('review_section') },
      ctx(it.before, t('before')),
      el('div', { class: 'ctx current' }, el('p', { class: 'meta', text: it.turn.segment + ' · ' + it.turn.participant + ' · ' + it.turn.profession + ' · ' + t('lines', { lines: it.turn.line_start }) }),
        el('p', { class: 'text', text: it.turn.text }), el('p', { class: 'matched', text: t('review_matched', { words: it.matched.split(' ').join(', '), rules: it.rules }) }),
        it.probability === null ? null : el('p', { class: 'matched', text: t('review_model', { p: it.probability.toFixed(2) }) })),
      ctx(it.after, t('after')),
      el('label', { for: 'review-memo', text: t('memo_optional') }), memo,
      el('div', { class: 'row' },
        el('button', { type: 'button', id: 'review-accept', onclick: () => act('accepted') }, t('review_accept')),
        el('button', { type: 'button', id: 'review-reject', onclick: () => act('rejected') }, t('review_reject')),
        el('a', { href: '#/doc/' + encodeURIComponent(it.document) + '/' + it.turn.turn }, t('open_in_transcript')))));
}

// ---------- codebook ----------

function field(c, name, label, value, multi) {
  const id = 'f-' + c.id + '-' + name;
  const input = multi ? el('textarea', { id, rows: '3' }) : el('input', { id, type: 'text' });
  input.value = value || '';
  const save = el('button', { type: 'button', class: 'small', onclick: async () => {
    try {
      await api('/api/codebook/edit', { id: c.id, field: name, value: input.value });
      say(t('saved_field', { field: label, code: c.id }));
      await showCodebook(c.id);
    } catch (e) { say(t('error', { message: e.message }), true); }
  } }, t('save'));
  return el('div', { class: 'field' }, el('label', { for: id, text: label }), input, save);
}

async function showCodebook(open) {
  ++drawing;
  view = 'codebook';
  const newLabel = el('input', { id: 'new-label', type: 'text', required: true });
  const newEn = el('input', { id: 'new-label-en', type: 'text' });
  const newDef = el('textarea', { id: 'new-definition', rows: '2' });
  const newParent = codeSelect('new-parent', '', true);
  const add = el('form', { class: 'add', 'aria-label': t('new_code') },
    el('h2', { text: t('new_code') }),
    el('label', { for: 'new-label', text: t('new_label') }), newLabel,
    el('label', { for: 'new-label-en', text: t('new_label_en') }), newEn,
    el('label', { for: 'new-definition', text: t('definition') }), newDef,
    el('label', { for: 'new-parent', text: t('parent') }), newParent,
    el('button', { type: 'submit', id: 'new-save' }, t('create_code')));
  add.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      const r = await api('/api/codebook/add', { label: newLabel.value, label_en: newEn.value, definition: newDef.value, parent: newParent.value });
      say(t('created', { code: r.id }));
      await loadState();
      await showCodebook(r.id);
    } catch (e) { say(t('error', { message: e.message }), true); }
  });
  const codes = S.state.codes.map((c) => {
    const renameLabel = el('input', { id: 'rn-' + c.id, type: 'text', value: c.label });
    const renameId = el('input', { id: 'ri-' + c.id, type: 'text', value: c.id });
    const mergeInto = codeSelect('mg-' + c.id, '', true);
    const parentSel = codeSelect('pa-' + c.id, c.parent || '', true);
    const details = el('details', { id: 'code-' + c.id, open: c.id === open },
      el('summary', {}, c.n + ' ' + c.label + ' ', el('code', { text: c.id }), c.parent ? ' ' + t('under', { parent: c.parent }) : '', c.aliases.length ? ' · ' + t('formerly', { ids: c.aliases.join(', ') }) : ''),
      field(c, 'definition', t('definition'), c.definition, true),
      field(c, 'include', t('include_lines'), c.include.join('\n'), true),
      field(c, 'exclude', t('exclude_lines'), c.exclude.join('\n'), true),
      field(c, 'examples', t('examples_lines'), c.examples.join('\n'), true),
      field(c, 'label_en', t('label_en'), c.label_en, false),
      el('div', { class: 'field' }, el('label', { for: 'pa-' + c.id, text: t('parent') }), parentSel,
        el('button', { type: 'button', class: 'small', onclick: async () => {
          try { await api('/api/codebook/edit', { id: c.id, field: 'parent', value: parentSel.value }); say(t('moved', { code: c.id })); await showCodebook(c.id); } catch (e) { say(t('error', { message: e.message }), true); }
        } }, t('move'))),
      el('div', { class: 'field' }, el('label', { for: 'rn-' + c.id, text: t('new_name') }), renameLabel,
        el('label', { for: 'ri-' + c.id, text: t('new_id') }), renameId,
        el('button', { type: 'button', class: 'small', id: 'rename-' + c.id, onclick: async () => {
          try {
            const r = await api('/api/codebook/rename', { old: c.id, new: renameId.value.trim(), label: renameLabel.value.trim() });
            say(t('renamed', { old: c.id, new: r.id }));
            await loadState();
            await showCodebook(r.id);
          } catch (e) { say(t('error', { message: e.message }), true); }
        } }, t('rename'))),
      el('div', { class: 'field' }, el('label', { for: 'mg-' + c.id, text: t('merge_into') }), mergeInto,
        el('button', { type: 'button', class: 'small', onclick: async () => {
          if (!mergeInto.value) return;
          try { await api('/api/codebook/merge', { from: c.id, into: mergeInto.value }); say(t('merged', { from: c.id, into: mergeInto.value })); await loadState(); await showCodebook(mergeInto.value); } catch (e) { say(t('error', { message: e.message }), true); }
        } }, t('merge'))),
      el('button', { type: 'button', class: 'small', onclick: () => openMemo([{ label: t('memo_code', { code: c.n + ' ' + c.label }), body: { code: c.id } }]) }, t('memo_on_code')),
      el('ul', { class: 'memos' }, S.state.code_memos.filter((m) => m.target.code === c.id).map((m) => el('li', {}, m.coder + ': ' + m.text))));
    return details;
  });
  page(t('nav_codebook'), add, el('h2', { text: t('codes') }), el('div', { class: 'codes' }, codes));
}

// ---------- disagreement ----------

async function showDisagree(a, b) {
  const me = ++drawing;
  view = 'disagree';
  const mk = (id, v) => {
    const s = el('select', { id });
    for (const c of S.state.coders) s.append(el('option', { value: c, selected: c === v }, c));
    return s;
  };
  const coders = S.state.coders;
  a = a || coders[0]; b = b || coders[1] || coders[0];
  const sa = mk('dis-a', a), sb = mk('dis-b', b);
  const go = () => { location.hash = '#/disagree/' + encodeURIComponent(sa.value) + '/' + encodeURIComponent(sb.value); };
  sa.addEventListener('change', go); sb.addEventListener('change', go);
  const r = await api('/api/disagree?a=' + encodeURIComponent(a) + '&b=' + encodeURIComponent(b));
  if (me !== drawing) return;
  const decision = (x) => (x.decision ? statusText(x.decision) : t('not_coded')) + (x.memo ? ' — ' + t('memo_inline', { text: x.memo }) : '');
  const cells = r.cells.map((cell) => el('section', { class: 'cell' },
    el('h2', { text: t('cell_title', { code: codeName(cell.code), document: cell.document, n: cell.items.length }) }),
    el('ul', {}, cell.items.map((it) => el('li', {},
      el('a', { href: '#/doc/' + encodeURIComponent(cell.document) + '/' + it.turn.turn, text: it.turn.segment }),
      ' ' + it.turn.participant + ' · ' + it.turn.profession,
      el('p', { class: 'text', text: it.turn.text }),
      el('p', {}, el('span', { class: 'badge pat-' + (coderIndex(a) % 4), text: a }), ' ' + decision(it.a)),
      el('p', {}, el('span', { class: 'badge pat-' + (coderIndex(b) % 4), text: b }), ' ' + decision(it.b)))))));
  page(t('disagree_title'),
    el('p', {}, el('label', { for: 'dis-a', text: t('coder_a') + ' ' }), sa, ' ', el('label', { for: 'dis-b', text: t('coder_b') + ' ' }), sb),
    el('p', { text: t('disagree_note') }),
    cells.length ? cells : el('p', { text: t('no_disagreement') }));
}
