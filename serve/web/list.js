// The packet list: virtualised (a bounded pool of row elements over a
// spacer as high as the whole list), pages fetched from the server as
// they scroll into view.
import { $, el, api, state, view, ROW, PAGE } from './util.js';
import { writeURL } from './url.js';
import { selectFrame } from './detail.js';

let total = 0, pages = new Map(), pending = new Map(), gen = 0;
const pool = [];
let list, spacer;

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

export function rowAt(i) {
  const pg = pages.get(Math.floor(i / PAGE));
  return pg ? pg[i % PAGE] : undefined;
}

export function render() {
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
    r.className = 'row' + (d.c ? ' c' + d.c : '') + (d.n === view.selected ? ' sel' : '');
    const v = [d.n, d.t, d.d, d.dd, d.src, d.dst, d.proto, d.len, d.info];
    for (let j = 0; j < 9; j++) r.children[j].textContent = String(v[j]);
    r.title = String(d.info);
  }
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

export function goToFrame(n) {
  state.frame = n;
  writeURL(false);
  reload(n);
  selectFrame(n, false);
}

export function initList() {
  list = $('list'); spacer = $('spacer');
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
        if (i * ROW < list.scrollTop) list.scrollTop = i * ROW;
        if ((i + 1) * ROW > list.scrollTop + list.clientHeight) list.scrollTop = (i + 1) * ROW - list.clientHeight;
      }
      return;
    }
  });
  $('goto').addEventListener('keydown', (e) => {
    if (e.key === 'Enter') { const n = parseInt(e.target.value, 10); if (n > 0) goToFrame(n); }
  });
}
