// wirewatch serve: the web app. Everything that comes from a capture is
// untrusted and reaches the page through textContent only; this file is
// the page's only script (the Content-Security-Policy allows no other).
'use strict';

const ROW = 18, PAGE = 200;
const $ = (id) => document.getElementById(id);
const el = (tag, cls, text) => {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = String(text);
  return e;
};

const state = { c: 0, filter: '', frame: 0, tab: 'details' };
let total = 0, pages = new Map(), pending = new Map(), gen = 0, indexing = true;
let pool = [], selected = 0, detail = null, hlNode = -1;

function readURL() {
  const q = new URLSearchParams(location.search);
  state.c = parseInt(q.get('c') || '0', 10) || 0;
  state.filter = q.get('filter') || '';
  state.frame = parseInt(q.get('frame') || '0', 10) || 0;
  state.tab = q.get('tab') || 'details';
}

function writeURL(push) {
  const q = new URLSearchParams();
  if (state.c) q.set('c', state.c);
  if (state.filter) q.set('filter', state.filter);
  if (state.frame) q.set('frame', state.frame);
  if (state.tab && state.tab !== 'details') q.set('tab', state.tab);
  const s = q.toString();
  const url = location.pathname + (s ? '?' + s : '');
  if (push) history.pushState(null, '', url); else history.replaceState(null, '', url);
}

async function api(path, params) {
  const q = new URLSearchParams(Object.assign({ c: state.c }, params || {}));
  const r = await fetch('/api/' + path + '?' + q.toString(), { credentials: 'same-origin' });
  const body = await r.json();
  return { status: r.status, body };
}

// ---- packet list (virtualised: a bounded pool of row elements) ----

const list = $('list'), spacer = $('spacer');

function ensurePool() {
  const want = Math.ceil(list.clientHeight / ROW) + 4;
  while (pool.length < want) {
    const r = el('div', 'row');
    for (let i = 0; i < 9; i++) r.appendChild(el('span'));
    r.hidden = true;
    r.addEventListener('click', () => { if (r.dataset.n) selectFrame(parseInt(r.dataset.n, 10), true); });
    spacer.appendChild(r);
    pool.push(r);
  }
}

function fetchPage(p) {
  if (pages.has(p) || pending.has(p)) return;
  const g = gen;
  const pr = api('packets', { filter: state.filter, start: p * PAGE, count: PAGE }).then(({ status, body }) => {
    pending.delete(p);
    if (g !== gen) return;
    if (status !== 200) { showListError(body); return; }
    pages.set(p, body.rows);
    setTotal(body.total, body.done);
    render();
  });
  pending.set(p, pr);
}

function setTotal(n, done) {
  total = n;
  spacer.style.height = (total * ROW) + 'px';
  $('status').textContent = (state.filter ? 'Displayed: ' + total : total + ' frames') + (done ? '' : ' (indexing…)');
  $('status').dataset.total = String(total);
}

function rowAt(i) {
  const pg = pages.get(Math.floor(i / PAGE));
  return pg ? pg[i % PAGE] : undefined;
}

function render() {
  ensurePool();
  const first = Math.max(0, Math.floor(list.scrollTop / ROW) - 1);
  for (let k = 0; k < pool.length; k++) {
    const i = first + k, r = pool[k];
    if (i >= total) { r.hidden = true; delete r.dataset.n; continue; }
    const d = rowAt(i);
    if (!d) { fetchPage(Math.floor(i / PAGE)); r.hidden = true; delete r.dataset.n; continue; }
    r.hidden = false;
    r.style.top = (i * ROW) + 'px';
    r.dataset.n = String(d.n);
    r.className = 'row' + (d.c ? ' c' + d.c : '') + (d.n === selected ? ' sel' : '');
    const v = [d.n, d.t, d.d, d.dd, d.src, d.dst, d.proto, d.len, d.info];
    for (let j = 0; j < 9; j++) r.children[j].textContent = String(v[j]);
    r.title = String(d.info);
  }
}

function showListError(body) {
  $('filtererr').hidden = false;
  $('filtererr').textContent = body.error || 'error';
}

async function reload(scrollToFrame) {
  gen++;
  pages = new Map(); pending = new Map();
  $('filtererr').hidden = true;
  $('status').textContent = state.filter ? 'Filtering…' : 'Loading…';
  const g = gen;
  const params = { filter: state.filter, count: scrollToFrame ? 1 : PAGE, start: 0 };
  if (scrollToFrame) params.frame = scrollToFrame;
  const { status, body } = await api('packets', params);
  if (g !== gen) return;
  if (status !== 200) { setTotal(0, true); showListError(body); render(); return; }
  if (!scrollToFrame) pages.set(0, body.rows);
  setTotal(body.total, body.done);
  if (scrollToFrame && body.pos >= 0) {
    list.scrollTop = Math.max(0, body.pos * ROW - list.clientHeight / 2);
  } else {
    list.scrollTop = 0;
  }
  render();
  if (!body.done && !state.filter) setTimeout(() => { if (g === gen) refreshGrowing(); }, 700);
}

// While the index builds, the unfiltered list grows.
async function refreshGrowing() {
  const g = gen;
  const { body } = await api('packets', { start: 0, count: 1 });
  if (g !== gen) return;
  setTotal(body.total, body.done);
  const last = Math.floor(Math.max(0, body.total - 1) / PAGE);
  pages.delete(last);
  render();
  if (!body.done) setTimeout(() => { if (g === gen) refreshGrowing(); }, 700);
}

list.addEventListener('scroll', () => render());
window.addEventListener('resize', () => render());
list.addEventListener('keydown', (e) => {
  if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
  e.preventDefault();
  // the position of the selected frame in the loaded pages
  for (const [p, rows] of pages) {
    const k = rows.findIndex((d) => d.n === selected);
    if (k < 0) continue;
    const i = p * PAGE + k + (e.key === 'ArrowDown' ? 1 : -1);
    const d = rowAt(i);
    if (d) {
      selectFrame(d.n, true);
      if (i * ROW < list.scrollTop) list.scrollTop = i * ROW;
      if ((i + 1) * ROW > list.scrollTop + list.clientHeight) list.scrollTop = (i + 1) * ROW - list.clientHeight;
    }
    return;
  }
});

// ---- display filter bar ----

const input = $('filter');
let checkTimer = 0, checkSeq = 0;
input.addEventListener('input', () => {
  clearTimeout(checkTimer);
  checkTimer = setTimeout(checkFilter, 120);
});
input.addEventListener('keydown', (e) => { if (e.key === 'Enter') applyFilter(input.value, 0); });
$('apply').addEventListener('click', () => applyFilter(input.value, 0));
$('clear').addEventListener('click', () => { input.value = ''; applyFilter('', selected); });
$('goto').addEventListener('keydown', (e) => {
  if (e.key === 'Enter') { const n = parseInt(e.target.value, 10); if (n > 0) goToFrame(n); }
});

async function checkFilter() {
  const seq = ++checkSeq, expr = input.value;
  const { body } = await api('check', { filter: expr });
  if (seq !== checkSeq) return;
  const caret = $('caret'), err = $('filtererr');
  input.classList.remove('ok', 'bad');
  input.dataset.checked = expr; // the text the marks below are for
  caret.textContent = '';
  if (!expr.trim()) { err.hidden = true; return; }
  if (body.ok) { input.classList.add('ok'); err.hidden = true; return; }
  input.classList.add('bad');
  const e = body.errors[0];
  // positions are byte offsets into the UTF-8 filter: convert to characters
  const chars = (b) => new TextDecoder().decode(new TextEncoder().encode(expr).slice(0, b)).length;
  const pos = chars(e.pos), end = chars(e.end);
  caret.textContent = ' '.repeat(pos) + '^' + '~'.repeat(Math.max(0, end - pos - 1));
  caret.dataset.pos = String(e.pos);
  err.hidden = false;
  err.textContent = e.message + (e.end > e.pos ? ' (at ' + (pos + 1) + ')' : '');
  err.dataset.pos = String(e.pos);
}

function applyFilter(expr, frame) {
  state.filter = expr.trim();
  input.value = state.filter;
  if (frame !== undefined) state.frame = frame;
  writeURL(true);
  checkFilter();
  reload(state.frame);
  if (state.frame) selectFrame(state.frame, false);
}

function goToFrame(n) {
  state.frame = n;
  writeURL(false);
  reload(n);
  selectFrame(n, false);
}

// ---- details tree and bytes ----

async function selectFrame(n, fromList) {
  selected = n;
  state.frame = n;
  writeURL(false);
  render();
  const { status, body } = await api('frame', { n });
  if (selected !== n) return;
  const tree = $('tree'), hex = $('hex');
  tree.textContent = ''; hex.textContent = '';
  if (status !== 200) { tree.appendChild(el('div', 'error', body.error)); return; }
  detail = body;
  hlNode = -1;
  body.tree.forEach((nd, i) => {
    const d = el('div', nd.o < 0 ? 'gen' : '', nd.l);
    d.style.paddingLeft = (4 + nd.d * 16) + 'px';
    d.dataset.i = String(i);
    if (nd.f) d.title = nd.f;
    d.addEventListener('click', () => selectNode(i, true));
    tree.appendChild(d);
  });
  body.sources.forEach((src, si) => {
    const bytes = b64(src.data);
    if (body.sources.length > 1) hex.appendChild(el('div', 'src', src.name + ' (' + bytes.length + ' bytes)'));
    const box = el('div', 'srcbox');
    box.dataset.s = String(si);
    for (let off = 0; off < bytes.length; off += 16) {
      const line = el('div', 'line');
      line.appendChild(el('span', 'off', off.toString(16).padStart(4, '0') + '  '));
      const asc = [];
      for (let j = 0; j < 16; j++) {
        if (off + j < bytes.length) {
          const v = bytes[off + j];
          const b = el('span', 'b', v.toString(16).padStart(2, '0'));
          b.dataset.i = String(off + j);
          b.addEventListener('click', () => selectByte(si, off + j));
          line.appendChild(b);
          line.appendChild(document.createTextNode(j === 7 ? '  ' : ' '));
          const a = el('span', 'b', v >= 0x20 && v < 0x7f ? String.fromCharCode(v) : '.');
          a.dataset.i = String(off + j);
          a.addEventListener('click', () => selectByte(si, off + j));
          asc.push(a);
        } else {
          line.appendChild(document.createTextNode(j === 7 ? '    ' : '   '));
        }
      }
      line.appendChild(document.createTextNode(' '));
      asc.forEach((a) => line.appendChild(a));
      box.appendChild(line);
    }
    hex.appendChild(box);
  });
  $('followbtn') && $('followbtn').remove();
  if (body.stream >= 0) {
    const f = el('div', 'link', 'Follow ' + body.proto.toUpperCase() + ' stream ' + body.stream);
    f.id = 'followbtn';
    f.addEventListener('click', () => follow(body.proto, body.stream));
    tree.insertBefore(f, tree.firstChild);
  }
  if (!fromList && state.tab !== 'details' && state.tab !== 'follow' && state.tab !== 'diagnose') showTab('details');
}

function b64(s) {
  const bin = atob(s || '');
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function selectNode(i, fromTree) {
  if (!detail) return;
  hlNode = i;
  document.querySelectorAll('#tree div.sel').forEach((d) => d.classList.remove('sel'));
  const d = document.querySelector('#tree div[data-i="' + i + '"]');
  if (d) { d.classList.add('sel'); if (!fromTree) d.scrollIntoView({ block: 'nearest' }); }
  document.querySelectorAll('#hex .b.hl').forEach((b) => b.classList.remove('hl'));
  const nd = detail.tree[i];
  if (nd.o < 0 || nd.n <= 0) return;
  const si = Math.min(nd.s, detail.sources.length - 1);
  const box = document.querySelector('#hex .srcbox[data-s="' + si + '"]');
  if (!box) return;
  let firstHit = null;
  box.querySelectorAll('.b').forEach((b) => {
    const k = parseInt(b.dataset.i, 10);
    if (k >= nd.o && k < nd.o + nd.n) { b.classList.add('hl'); if (!firstHit) firstHit = b; }
  });
  if (firstHit && fromTree) firstHit.scrollIntoView({ block: 'nearest' });
}

// selectByte selects the smallest tree node covering byte k of source si.
function selectByte(si, k) {
  if (!detail) return;
  let best = -1, bestLen = Infinity;
  detail.tree.forEach((nd, i) => {
    if (nd.o < 0 || Math.min(nd.s, detail.sources.length - 1) !== si) return;
    if (k >= nd.o && k < nd.o + nd.n && nd.n <= bestLen) { best = i; bestLen = nd.n; }
  });
  if (best >= 0) selectNode(best, false);
}

// ---- follow stream ----

async function follow(proto, stream) {
  showTab('follow');
  const head = $('followhead'), text = $('followtext');
  head.textContent = 'Following ' + proto.toUpperCase() + ' stream ' + stream + '…';
  text.textContent = '';
  const { status, body } = await api('follow', { proto, stream });
  if (status !== 200) { head.textContent = body.error; return; }
  head.textContent = body.filter + ': ' + body.nodes[0] + ' ⇄ ' + body.nodes[1] + (body.truncated ? ' (truncated)' : '');
  head.dataset.filter = body.filter;
  for (const ch of body.chunks) {
    const bytes = b64(ch.data);
    let s = '';
    for (const v of bytes) s += (v >= 0x20 && v < 0x7f) || v === 10 || v === 13 || v === 9 ? String.fromCharCode(v) : '.';
    const sp = el('span', 'n' + ch.node, s);
    sp.title = 'frame ' + ch.frame;
    sp.dataset.frame = String(ch.frame);
    sp.addEventListener('click', () => selectFrame(ch.frame, false));
    text.appendChild(sp);
  }
  // As Wireshark: following a stream filters the list on it.
  if (state.filter !== body.filter) applyFilter(body.filter, selected);
  showTab('follow');
}

// ---- statistics and diagnose ----

function renderValue(v) {
  if (Array.isArray(v)) {
    if (v.length && v.every((x) => x && typeof x === 'object' && !Array.isArray(x))) return renderTable(v);
    return el('span', '', v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join(', '));
  }
  if (v && typeof v === 'object') {
    const t = el('table');
    for (const k of Object.keys(v)) {
      const tr = el('tr');
      tr.appendChild(el('th', '', k));
      const td = el('td');
      td.appendChild(renderValue(v[k]));
      tr.appendChild(td);
      t.appendChild(tr);
    }
    return t;
  }
  return el('span', '', v === null ? '' : String(v));
}

function renderTable(rows) {
  const keys = [];
  rows.forEach((r) => Object.keys(r).forEach((k) => { if (!keys.includes(k)) keys.push(k); }));
  const t = el('table'), hr = el('tr');
  keys.forEach((k) => hr.appendChild(el('th', '', k)));
  t.appendChild(hr);
  rows.slice(0, 5000).forEach((r) => {
    const tr = el('tr');
    keys.forEach((k) => {
      const td = el('td');
      if (r[k] !== undefined) td.appendChild(renderValue(r[k]));
      tr.appendChild(td);
    });
    t.appendChild(tr);
  });
  return t;
}

async function showReport(name) {
  const box = $('report');
  box.textContent = 'Loading…';
  const { status, body } = await api('report', { name });
  if (state.tab !== name) return;
  box.textContent = '';
  if (status === 202) {
    box.textContent = 'Indexing… ' + body.indexed + ' frames so far';
    setTimeout(() => { if (state.tab === name) showReport(name); }, 1000);
    return;
  }
  if (status !== 200) { box.textContent = body.error; return; }
  if (name === 'diagnose') { renderDiagnosis(box, body); return; }
  box.appendChild(renderValue(body));
}

function frameLink(n, flt) {
  const a = el('a', 'frame', n);
  a.dataset.frame = String(n);
  a.addEventListener('click', () => { applyFilter(flt || '', n); });
  return a;
}

function renderDiagnosis(box, d) {
  box.appendChild(el('div', 'muted', (d.capture ? d.capture.frames + ' frames; ' : '') + d.findings.length + ' finding(s)'));
  if (!d.findings.length) box.appendChild(el('p', '', 'No findings: nothing in this capture explains a slowdown.'));
  d.findings.forEach((f, fi) => {
    const div = el('div', 'finding sev-' + f.severity);
    div.dataset.i = String(fi);
    div.appendChild(el('h3', '', '[' + f.severity + '] ' + f.title));
    div.appendChild(el('p', '', f.explanation));
    if (f.basis) div.appendChild(el('p', 'muted', 'Confidence ' + Math.round((f.confidence || 0) * 100) + '%: ' + f.basis));
    if (f.display_filter) {
      const p = el('p');
      const a = el('a', 'applyfilter', 'Show these packets: ' + f.display_filter);
      a.addEventListener('click', () => applyFilter(f.display_filter, (f.evidence_frames || [])[0] || 0));
      p.appendChild(a);
      div.appendChild(p);
    }
    if (f.evidence_frames && f.evidence_frames.length) {
      const p = el('p', 'frames');
      p.appendChild(el('span', '', 'Evidence frames: '));
      f.evidence_frames.slice(0, 200).forEach((n) => p.appendChild(frameLink(n, f.display_filter)));
      div.appendChild(p);
    }
    if (f.stalls && f.stalls.length) {
      const rows = f.stalls.slice(0, 100).map((s) => s);
      const t = el('table'), hr = el('tr');
      ['start', 'end', 'duration_s', 'client', 'server', 'waiting_on', 'what', 'culprit attempt'].forEach((k) => hr.appendChild(el('th', '', k)));
      t.appendChild(hr);
      rows.forEach((s) => {
        const tr = el('tr', 'stall');
        const c1 = el('td'); c1.appendChild(frameLink(s.start_frame, f.display_filter)); tr.appendChild(c1);
        const c2 = el('td'); c2.appendChild(frameLink(s.end_frame, f.display_filter)); tr.appendChild(c2);
        [s.duration_s, s.client, s.server, s.waiting_on, s.what].forEach((v) => tr.appendChild(el('td', '', v === undefined ? '' : v)));
        const c3 = el('td');
        if (s.culprit_attempt) {
          c3.appendChild(el('span', '', s.culprit_attempt.kind + ' ' + s.culprit_attempt.server + ' ' + (s.culprit_attempt.outcome || '') + ' '));
          (s.culprit_attempt.frames || []).forEach((n) => { c3.appendChild(frameLink(n, f.display_filter)); c3.appendChild(document.createTextNode(' ')); });
        }
        tr.appendChild(c3);
        t.appendChild(tr);
      });
      div.appendChild(t);
    }
    box.appendChild(div);
  });
}

// ---- tabs, captures, start ----

function showTab(name) {
  state.tab = name;
  writeURL(false);
  document.querySelectorAll('#tabs button').forEach((b) => b.classList.toggle('on', b.dataset.tab === name));
  $('details').hidden = name !== 'details';
  $('follow').hidden = name !== 'follow';
  $('report').hidden = name === 'details' || name === 'follow';
  if (name !== 'details' && name !== 'follow') showReport(name);
}
document.querySelectorAll('#tabs button').forEach((b) => b.addEventListener('click', () => showTab(b.dataset.tab)));

async function loadCaptures() {
  const { body } = await api('captures');
  const sel = $('capture');
  sel.textContent = '';
  body.forEach((c) => {
    const o = el('option', '', c.name);
    o.value = String(c.id);
    sel.appendChild(o);
  });
  sel.value = String(state.c);
  sel.hidden = body.length < 2;
}
$('capture').addEventListener('change', (e) => {
  state.c = parseInt(e.target.value, 10) || 0;
  state.frame = 0; selected = 0;
  writeURL(true);
  reload(0);
  if (state.tab !== 'details' && state.tab !== 'follow') showReport(state.tab);
});

window.addEventListener('popstate', () => { readURL(); input.value = state.filter; reload(state.frame); if (state.frame) selectFrame(state.frame, false); showTab(state.tab); });

readURL();
input.value = state.filter;
loadCaptures();
showTab(state.tab === 'follow' ? 'details' : state.tab);
checkFilter();
reload(state.frame);
if (state.frame) selectFrame(state.frame, false);
