// The packet list: virtualised (a bounded pool of row elements over a
// spacer as high as the whole list), pages fetched from the server as
// they scroll into view and dropped when far away, so the page holds a
// bounded number of rows whatever the capture size.
import { $, el, api, state, view, ROW, PAGE } from './util.js';
import { writeURL } from './url.js';
import { selectFrame } from './detail.js';
import { timeText, formats, timeChars, precision } from './timefmt.js';
import { openMenu } from './menu.js';
import { applyFilter } from './filter.js';
import { follow } from './follow.js';

export const MAXPAGES = 12; // rows held: MAXPAGES * PAGE

// MAXH caps the spacer's height: beyond a few million pixels browsers
// place elements imprecisely (rows drift apart and overlap), so a longer
// list maps the scroll range onto the rows proportionally and places the
// row elements relative to the viewport.
const MAXH = 1 << 21;

let total = 0, pages = new Map(), pending = new Map(), gen = 0;
let pool = [];
let list, spacer;

// columns returns the list's columns: [title, width, value(row), user column index].
function columns() {
  const tname = (formats.find((f) => f[0] === state.t) || formats[0])[0];
  const px = (chars) => Math.ceil(chars * 7.3 + 10) + 'px'; // 12px monospace
  const delta = px(Math.max(7, 4 + precision() + 1));
  const cols = [
    ['No.', '70px', (d) => d.n],
    ['Time' + (tname === 'r' ? '' : ' (' + tname + ')'), px(Math.max(8, timeChars(state.t))), (d) => timeText(d, state.t, view.refs)],
    ['Delta', delta, (d) => d.d],
    ['Delta displayed', px(Math.max(15, 4 + precision() + 1)), (d) => d.dd],
    ['Source', '150px', (d) => d.src],
    ['Destination', '150px', (d) => d.dst],
    ['Protocol', '70px', (d) => d.proto],
    ['Length', '60px', (d) => d.len],
  ];
  state.cols.forEach((name, k) => cols.push([name, '120px', (d) => (d.u ? d.u[k] : '…'), k]));
  cols.push(['Info', '1fr', (d) => d.info]);
  return cols;
}

let cols = [];

// Column widths dragged by the user, by title (this browser's localStorage).
const WIDTHS = 'wirewatch.colwidths';
function widths() {
  try { return JSON.parse(localStorage.getItem(WIDTHS) || '{}') || {}; } catch (e) { return {}; }
}

function template() { return cols.map((c) => c[1]).join(' '); }

function applyTemplate() {
  const tmpl = template();
  $('listhead').style.gridTemplateColumns = tmpl;
  pool.forEach((r) => { r.style.gridTemplateColumns = tmpl; });
}

// grip lets the right edge of header cell k be dragged to resize its column.
function grip(h, k) {
  const g = el('span', 'grip');
  g.title = 'Drag to resize';
  g.addEventListener('mousedown', (e) => {
    e.preventDefault(); e.stopPropagation();
    const x0 = e.clientX, w0 = h.getBoundingClientRect().width;
    const move = (m) => { cols[k][1] = Math.max(30, Math.round(w0 + m.clientX - x0)) + 'px'; applyTemplate(); };
    const up = () => {
      window.removeEventListener('mousemove', move);
      window.removeEventListener('mouseup', up);
      const w = widths();
      w[cols[k][0]] = cols[k][1];
      try { localStorage.setItem(WIDTHS, JSON.stringify(w)); } catch (err) { /* private mode */ }
    };
    window.addEventListener('mousemove', move);
    window.addEventListener('mouseup', up);
  });
  h.appendChild(g);
}

// setColumns rebuilds the header and the row pool for the current columns.
export function setColumns() {
  cols = columns();
  const w = widths();
  cols.forEach((c) => { if (w[c[0]] && c[0] !== 'Info') c[1] = w[c[0]]; });
  const tmpl = template();
  const head = $('listhead');
  head.textContent = '';
  head.style.gridTemplateColumns = tmpl;
  cols.forEach((c, k) => {
    const h = el('span', c[3] !== undefined ? 'usercol' : '', c[0]);
    if (c[0] !== 'Info') grip(h, k);
    if (c[3] !== undefined) {
      h.title = c[0];
      const x = el('button', 'rmcol', '×');
      x.type = 'button';
      x.title = 'Remove column ' + c[0];
      x.dataset.col = c[0];
      x.addEventListener('click', () => removeColumn(c[0]));
      h.appendChild(x);
    }
    head.appendChild(h);
  });
  pool.forEach((r) => r.remove());
  pool = [];
  spacer.style.gridTemplateColumns = tmpl;
}

function ensurePool() {
  const want = Math.ceil(list.clientHeight / ROW) + 4;
  const tmpl = template();
  while (pool.length < want) {
    const r = el('div', 'row');
    r.style.gridTemplateColumns = tmpl;
    for (let i = 0; i < cols.length; i++) r.appendChild(el('span'));
    r.hidden = true;
    r.addEventListener('click', () => { if (r.dataset.n) selectFrame(parseInt(r.dataset.n, 10), true); });
    r.addEventListener('contextmenu', (e) => {
      if (!r.dataset.n) return;
      e.preventDefault();
      const n = parseInt(r.dataset.n, 10);
      selectFrame(n, true);
      rowMenu(n, e.clientX, e.clientY);
    });
    spacer.appendChild(r);
    pool.push(r);
  }
}

// rowMenu is a packet's context menu: time reference, conversation filter, follow.
function rowMenu(n, x, y) {
  let d = null;
  for (const rows of pages.values()) { d = rows.find((r) => r.n === n) || d; }
  const items = [[state.ref.includes(n) ? 'Unset Time Reference' : 'Set Time Reference', () => toggleRef(n)]];
  if (d && d.s >= 0) {
    const proto = d.udp ? 'udp' : 'tcp';
    items.push(null, ['Conversation Filter (' + proto.toUpperCase() + ')', () => applyFilter(proto + '.stream eq ' + d.s, n)],
      ['Follow ' + proto.toUpperCase() + ' Stream', () => follow(proto, d.s)]);
  }
  items.push(null, ['Copy Summary', () => navigator.clipboard && d && navigator.clipboard.writeText(
    [d.n, d.t, d.src, d.dst, d.proto, d.len, d.info].join('\t')).catch(() => {})]);
  openMenu(x, y, items);
}

// userValues fetches the user columns of a page's rows.
async function userValues(rows, g) {
  if (!state.cols.length || !rows.length) return;
  const { status, body } = await api('columns', { cols: state.cols.join(','), frames: rows.map((d) => d.n).join(',') });
  if (g !== gen) return;
  rows.forEach((d) => { d.u = status === 200 ? (body[d.n] || []) : state.cols.map(() => '?'); });
  render();
}

function keepPages(p) {
  pages.set(p.p, p.rows);
  if (pages.size <= MAXPAGES) return;
  const here = Math.floor(firstRow() / PAGE);
  let far = -1, dist = -1;
  for (const k of pages.keys()) if (Math.abs(k - here) > dist) { dist = Math.abs(k - here); far = k; }
  pages.delete(far);
}

function fetchPage(p) {
  if (pages.has(p) || pending.has(p)) return;
  const g = gen;
  const pr = api('packets', { filter: state.filter, start: p * PAGE, count: PAGE }).then(({ status, body }) => {
    pending.delete(p);
    if (g !== gen) return;
    if (status !== 200) { showListError(body); return; }
    keepPages({ p, rows: body.rows });
    userValues(body.rows, g);
    setTotal(body.total, body.done);
    render();
  });
  pending.set(p, pr);
}

let percent = -1; // how far the index is (from /api/captures), -1 unknown

function setTotal(n, done) {
  total = n;
  spacer.style.height = Math.min(total * ROW, MAXH) + 'px';
  $('status').textContent = (state.filter ? 'Displayed: ' + total : total + ' frames') +
    (done ? '' : ' (indexing' + (percent >= 0 ? ' ' + percent + '%' : '') + '…)');
  $('status').dataset.total = String(total);
}

const scaled = () => total * ROW > MAXH;

// firstRow is the (fractional) list position at the top of the viewport.
function firstRow() {
  if (!scaled()) return list.scrollTop / ROW;
  const maxS = MAXH - list.clientHeight, maxR = total - list.clientHeight / ROW;
  return maxS > 0 ? (list.scrollTop / maxS) * maxR : 0;
}

// scrollFor is the scrollTop that puts list position i at the top.
function scrollFor(i) {
  i = Math.max(0, i);
  if (!scaled()) return i * ROW;
  const maxS = MAXH - list.clientHeight, maxR = total - list.clientHeight / ROW;
  return maxR > 0 ? Math.min(maxS, (i / maxR) * maxS) : 0;
}

export function rowAt(i) {
  const pg = pages.get(Math.floor(i / PAGE));
  return pg ? pg[i % PAGE] : undefined;
}

// prevDisplayed is the frame displayed before frame n in the list (0 for
// the first; undefined when not known: the row is not loaded).
export function prevDisplayed(n) {
  for (const [p, rows] of pages) {
    const k = rows.findIndex((d) => d.n === n);
    if (k < 0) continue;
    const i = p * PAGE + k;
    if (i === 0) return 0;
    const d = rowAt(i - 1);
    return d ? d.n : undefined;
  }
  return undefined;
}

// heldRows is how many rows the page holds (tests check it is bounded).
export function heldRows() {
  let n = 0;
  for (const rows of pages.values()) n += rows.length;
  return n;
}

export function render() {
  ensurePool();
  const f = firstRow(), first = Math.max(0, Math.floor(f) - 1);
  // whole pixels: rows exactly ROW apart
  const base = Math.round(list.scrollTop - (f - Math.floor(f)) * ROW) - Math.floor(f) * ROW;
  for (let k = 0; k < pool.length; k++) {
    const i = first + k, r = pool[k];
    if (i >= total) { r.hidden = true; delete r.dataset.n; continue; }
    const d = rowAt(i);
    if (!d) { fetchPage(Math.floor(i / PAGE)); r.hidden = true; delete r.dataset.n; continue; }
    r.hidden = false;
    r.style.top = (base + i * ROW) + 'px';
    r.dataset.n = String(d.n);
    r.className = 'row' + (d.c ? ' c' + d.c : '') + (d.n === view.selected ? ' sel' : '') +
      (view.refs.some((x) => x.n === d.n) ? ' ref' : '');
    for (let j = 0; j < cols.length; j++) r.children[j].textContent = String(cols[j][2](d));
    r.title = String(d.info);
  }
  $('list').dataset.held = String(heldRows());
}

export function showListError(body) {
  $('filtererr').hidden = false;
  $('filtererr').textContent = body.error || 'error';
}

export async function reload(scrollToFrame) {
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
  if (!scrollToFrame) { pages.set(0, body.rows); userValues(body.rows, g); }
  setTotal(body.total, body.done);
  if (scrollToFrame && body.pos >= 0) {
    list.scrollTop = scrollFor(body.pos - list.clientHeight / ROW / 2);
  } else {
    list.scrollTop = 0;
  }
  render();
  if (!body.done && !state.filter) setTimeout(() => { if (g === gen) refreshGrowing(); }, 700);
}

// While the index builds, the unfiltered list grows.
async function refreshGrowing() {
  const g = gen;
  const [{ body }, caps] = await Promise.all([api('packets', { start: 0, count: 1 }), api('captures')]);
  if (g !== gen) return;
  const cur = caps.status === 200 && Array.isArray(caps.body) ? caps.body.find((c) => c.id === state.c) : null;
  percent = cur && cur.percent !== undefined ? cur.percent : -1;
  setTotal(body.total, body.done);
  const last = Math.floor(Math.max(0, body.total - 1) / PAGE);
  pages.delete(last);
  render();
  if (!body.done) setTimeout(() => { if (g === gen) refreshGrowing(); }, 700);
}

export function goToFrame(n) {
  state.frame = n;
  writeURL(false);
  reload(n);
  selectFrame(n, false);
}

export function addColumn(name) {
  name = name.trim();
  if (!name || state.cols.includes(name)) return;
  state.cols.push(name);
  writeURL(true);
  setColumns();
  reload(view.selected);
}

export function removeColumn(name) {
  state.cols = state.cols.filter((c) => c !== name);
  writeURL(true);
  setColumns();
  reload(view.selected);
}

// loadRefs fetches the timestamps of the time reference frames, then redraws.
export async function loadRefs() {
  const refs = [];
  for (const n of state.ref) {
    const { status, body } = await api('packets', { frame: n, count: 1 });
    const d = status === 200 && body.rows.find((r) => r.n === n);
    if (d) refs.push({ n, ts: d.ts });
  }
  view.refs = refs;
  render();
}

// toggleRef sets or unsets frame n as a time reference.
export function toggleRef(n) {
  state.ref = state.ref.includes(n) ? state.ref.filter((x) => x !== n) : [...state.ref, n].sort((a, b) => a - b);
  writeURL(false);
  loadRefs();
  window.dispatchEvent(new Event('wirewatch-refs')); // the details' time since reference changes
}

export function initList() {
  list = $('list'); spacer = $('spacer');
  const tsel = $('timefmt');
  formats.forEach(([k, label]) => { const o = el('option', '', label + ' (-t ' + k + ')'); o.value = k; tsel.appendChild(o); });
  tsel.value = state.t;
  tsel.addEventListener('change', () => { state.t = tsel.value; writeURL(false); setColumns(); render(); });
  setColumns();
  list.addEventListener('scroll', () => render());
  window.addEventListener('resize', () => render());
  list.addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    e.preventDefault();
    // the position of the selected frame in the loaded pages
    for (const [p, rows] of pages) {
      const k = rows.findIndex((d) => d.n === view.selected);
      if (k < 0) continue;
      const i = p * PAGE + k + (e.key === 'ArrowDown' ? 1 : -1);
      const d = rowAt(i);
      if (d) {
        selectFrame(d.n, true);
        const vis = list.clientHeight / ROW;
        if (i < firstRow()) list.scrollTop = scrollFor(i);
        if (i + 1 > firstRow() + vis) list.scrollTop = scrollFor(i + 1 - vis);
      }
      return;
    }
  });
  $('goto').addEventListener('keydown', (e) => {
    if (e.key === 'Enter') { const n = parseInt(e.target.value, 10); if (n > 0) goToFrame(n); }
  });
  let colSeq = 0;
  $('addcol').addEventListener('input', async (e) => {
    const v = e.target.value.trim(), seq = ++colSeq;
    if (!v) return;
    const { body } = await api('fields', { prefix: v });
    if (seq !== colSeq) return;
    const dl = $('fieldlist');
    dl.textContent = '';
    body.forEach((f) => { const o = el('option', '', f.desc); o.value = f.name; dl.appendChild(o); });
  });
  $('addcol').addEventListener('keydown', (e) => {
    if (e.key === 'Enter') { addColumn(e.target.value); e.target.value = ''; }
  });
  loadRefs();
}
