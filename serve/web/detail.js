// The packet details tree (the tree of read -V) and the hex/ASCII pane,
// linked both ways: a line highlights its bytes, a byte selects the
// deepest line covering it.
import { $, el, api, b64, state, view } from './util.js';
import { writeURL } from './url.js';
import { render, toggleRef, addColumn, prevDisplayed } from './list.js';
import { applyFilter, prepareFilter } from './filter.js';
import { follow } from './follow.js';
import { showTab } from './tabs.js';
import { openMenu } from './menu.js';

export async function selectFrame(n, fromList) {
  view.selected = n;
  state.frame = n;
  writeURL(false);
  render();
  const q = { n };
  const prev = state.filter ? prevDisplayed(n) : undefined; // frame.time_delta_displayed in the tree
  if (prev !== undefined) q.prev = prev;
  const ref = state.ref.filter((r) => r <= n).pop(); // the latest time reference: frame.time_relative counts from it
  if (ref) q.ref = ref;
  const { status, body } = await api('frame', q);
  if (view.selected !== n) return;
  const tree = $('tree'), hex = $('hex');
  tree.textContent = ''; hex.textContent = '';
  if (status !== 200) { tree.appendChild(el('div', 'error', body.error)); return; }
  view.detail = body;
  selNode = -1;
  body.tree.forEach((nd, i) => {
    const parent = i + 1 < body.tree.length && body.tree[i + 1].d > nd.d;
    const d = el('div', (nd.o < 0 ? 'gen' : '') + (parent ? ' par' : ''), nd.l);
    d.style.paddingLeft = (4 + nd.d * 16) + 'px';
    d.dataset.i = String(i);
    d.dataset.len = String(nd.n);
    if (nd.f) d.title = nd.f;
    d.addEventListener('click', (e) => {
      // the arrow (the padding's last 14 px) opens and closes a subtree
      const pad = 4 + nd.d * 16;
      if (parent && e.offsetX > 0 && e.offsetX < pad + 14) { toggle(i); return; }
      selectNode(i, true);
    });
    d.addEventListener('dblclick', () => { if (parent) toggle(i); });
    d.addEventListener('contextmenu', (e) => { e.preventDefault(); selectNode(i, true); treeMenu(i, e.clientX, e.clientY); });
    tree.appendChild(d);
  });
  layout();
  // several data sources (the frame, a reassembled PDU, decrypted data):
  // one tab each, as Wireshark's byte pane; selecting a field shows its tab
  const tabs = body.sources.length > 1 ? hex.appendChild(el('div', 'srctabs')) : null;
  body.sources.forEach((src, si) => {
    const bytes = b64(src.data);
    if (tabs) {
      const t = tabs.appendChild(el('button', 'srctab', src.name + ' (' + bytes.length + ' bytes)'));
      t.type = 'button';
      t.dataset.s = String(si);
      t.addEventListener('click', () => showSource(si));
    }
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
  showSource(0);
  frameBar(body);
  if (!fromList && state.tab !== 'details' && state.tab !== 'follow' && state.tab !== 'diagnose') showTab('details');
}

// Subtrees are closed at first; the ones opened stay open for the next
// frames (keyed by field name or label head), as in Wireshark.
const opened = new Set();
const key = (nd) => nd.f || nd.l.split(':')[0];

function toggle(i) {
  const k = key(view.detail.tree[i]);
  if (opened.has(k)) opened.delete(k); else opened.add(k);
  layout();
}

// layout shows the lines whose ancestors are all open.
function layout() {
  const t = view.detail.tree, divs = document.querySelectorAll('#tree div[data-i]');
  let closedAt = Infinity; // depth of the closed ancestor
  t.forEach((nd, i) => {
    if (nd.d <= closedAt) closedAt = Infinity;
    const shown = closedAt === Infinity;
    divs[i].hidden = !shown;
    const open = opened.has(key(nd));
    divs[i].classList.toggle('open', open);
    if (shown && !open && divs[i].classList.contains('par')) closedAt = nd.d;
  });
}

let selNode = -1;

// treeKey moves through the visible lines (↑ ↓), opens (→) and closes or
// goes to the parent (←), as Wireshark's tree does.
function treeKey(e) {
  const t = view.detail && view.detail.tree;
  if (!t || selNode < 0) return;
  const divs = [...document.querySelectorAll('#tree div[data-i]')];
  const visible = divs.filter((d) => !d.hidden).map((d) => parseInt(d.dataset.i, 10));
  const at = visible.indexOf(selNode);
  const isPar = (i) => i + 1 < t.length && t[i + 1].d > t[i].d;
  let next = -1;
  if (e.key === 'ArrowDown') next = visible[Math.min(at + 1, visible.length - 1)];
  else if (e.key === 'ArrowUp') next = visible[Math.max(at - 1, 0)];
  else if (e.key === 'ArrowRight' && isPar(selNode)) { if (!opened.has(key(t[selNode]))) toggle(selNode); else next = selNode + 1; }
  else if (e.key === 'ArrowLeft') {
    if (isPar(selNode) && opened.has(key(t[selNode]))) toggle(selNode);
    else for (let j = selNode - 1; j >= 0; j--) if (t[j].d < t[selNode].d) { next = j; break; }
  } else return;
  e.preventDefault();
  if (next >= 0) selectNode(next, false);
}

export function initDetail() {
  window.addEventListener('wirewatch-refs', () => { if (view.selected) selectFrame(view.selected); });
  const tree = $('tree');
  tree.tabIndex = 0;
  tree.addEventListener('keydown', treeKey);
}

// reveal opens the ancestors of line i.
function reveal(i) {
  const t = view.detail.tree;
  let d = t[i].d;
  for (let j = i - 1; j >= 0 && d > 0; j--) if (t[j].d < d) { opened.add(key(t[j])); d = t[j].d; }
  layout();
}

function button(id, text, title, fn) {
  const b = el('button', '', text);
  b.type = 'button';
  if (id) b.id = id;
  if (title) b.title = title;
  b.addEventListener('click', fn);
  return b;
}

// frameBar shows the selected frame's actions: time reference, follow,
// and (once a line is selected) the field actions.
function frameBar(body) {
  const bar = $('detailbar');
  bar.textContent = '';
  bar.appendChild(el('span', 'framelabel', 'Frame ' + body.n));
  const isRef = state.ref.includes(body.n);
  bar.appendChild(button('refbtn', isRef ? 'Unset time reference' : 'Set time reference',
    'Times in the list count from this frame (Wireshark: Ctrl+T)', () => { toggleRef(body.n); frameBar(body); }));
  if (body.stream >= 0) {
    bar.appendChild(button('followbtn', 'Follow ' + body.proto.toUpperCase() + ' stream ' + body.stream, '',
      () => follow(body.proto, body.stream)));
    const conv = body.proto + '.stream eq ' + body.stream;
    bar.appendChild(button('convbtn', 'Conversation filter', 'Apply ' + conv, () => applyFilter(conv, body.n)));
  }
  const fa = el('span', 'fieldacts');
  fa.id = 'fieldacts';
  bar.appendChild(fa);
}

// occurrence is which occurrence of its field tree line i is.
function occurrence(i) {
  const f = view.detail.tree[i].f;
  let k = 0;
  for (let j = 0; j < i; j++) if (view.detail.tree[j].f === f) k++;
  return k;
}

async function fieldFilter(i) {
  const nd = view.detail.tree[i];
  const { status, body } = await api('fieldfilter', { n: view.detail.n, field: nd.f, occ: occurrence(i) });
  return status === 200 ? body.filter : nd.f;
}

// treeMenu is the details line's context menu: the field actions, open or
// close all below, copy the line.
function treeMenu(i, x, y) {
  const nd = view.detail.tree[i], n = view.detail.n;
  const items = [];
  if (nd.f) {
    items.push(['Apply as Filter', async () => applyFilter(await fieldFilter(i), n)],
      ['Prepare as Filter', async () => prepareFilter(await fieldFilter(i), '')],
      ['…and Selected', async () => prepareFilter(await fieldFilter(i), '&&')],
      ['…or Selected', async () => prepareFilter(await fieldFilter(i), '||')],
      ['Apply as Column (' + nd.f + ')', () => addColumn(nd.f)], null);
  }
  items.push(['Expand Subtrees', () => subtree(i, true)], ['Collapse Subtrees', () => subtree(i, false)],
    ['Copy Line', () => navigator.clipboard && navigator.clipboard.writeText(nd.l).catch(() => {})]);
  openMenu(x, y, items);
}

// subtree opens or closes line i and every line below it.
function subtree(i, open) {
  const t = view.detail.tree;
  for (let j = i; j < t.length && (j === i || t[j].d > t[i].d); j++) {
    if (j + 1 < t.length && t[j + 1].d > t[j].d) { if (open) opened.add(key(t[j])); else opened.delete(key(t[j])); }
  }
  layout();
}

function fieldActions(i) {
  const fa = $('fieldacts');
  if (!fa) return;
  fa.textContent = '';
  const nd = view.detail.tree[i];
  if (!nd.f) return;
  const n = view.detail.n;
  fa.appendChild(el('span', 'fieldname', nd.f));
  fa.appendChild(button('applyfilter', 'Apply as filter', 'Filter the list on this value', async () => applyFilter(await fieldFilter(i), n)));
  fa.appendChild(button('preparefilter', 'Prepare filter', 'Put the filter in the bar without applying it', async () => prepareFilter(await fieldFilter(i), '')));
  fa.appendChild(button('andfilter', '…and selected', 'Prepare: (the bar) && this', async () => prepareFilter(await fieldFilter(i), '&&')));
  fa.appendChild(button('orfilter', '…or selected', 'Prepare: (the bar) || this', async () => prepareFilter(await fieldFilter(i), '||')));
  fa.appendChild(button('applycol', 'Apply as column', 'Add a packet-list column showing ' + nd.f, () => addColumn(nd.f)));
}

export function selectNode(i, fromTree) {
  const detail = view.detail;
  if (!detail) return;
  selNode = i;
  fieldActions(i);
  document.querySelectorAll('#tree div.sel').forEach((d) => d.classList.remove('sel'));
  const d = document.querySelector('#tree div[data-i="' + i + '"]');
  if (d) { d.classList.add('sel'); if (!fromTree) { reveal(i); d.scrollIntoView({ block: 'nearest' }); } }
  document.querySelectorAll('#hex .b.hl').forEach((b) => b.classList.remove('hl'));
  const nd = detail.tree[i];
  if (nd.o < 0 || nd.n <= 0) return;
  const si = Math.min(nd.s, detail.sources.length - 1);
  showSource(si);
  const box = document.querySelector('#hex .srcbox[data-s="' + si + '"]');
  if (!box) return;
  let firstHit = null;
  box.querySelectorAll('.b').forEach((b) => {
    const k = parseInt(b.dataset.i, 10);
    if (k >= nd.o && k < nd.o + nd.n) { b.classList.add('hl'); if (!firstHit) firstHit = b; }
  });
  if (firstHit && fromTree) firstHit.scrollIntoView({ block: 'nearest' });
}

// showSource shows data source si's bytes (its tab) and hides the others'.
function showSource(si) {
  document.querySelectorAll('#hex .srcbox').forEach((b) => { b.hidden = b.dataset.s !== String(si); });
  document.querySelectorAll('#hex .srctab').forEach((t) => t.classList.toggle('on', t.dataset.s === String(si)));
}

// selectByte selects the smallest tree node covering byte k of source si.
function selectByte(si, k) {
  const detail = view.detail;
  if (!detail) return;
  let best = -1, bestLen = Infinity;
  detail.tree.forEach((nd, i) => {
    if (nd.o < 0 || Math.min(nd.s, detail.sources.length - 1) !== si) return;
    if (k >= nd.o && k < nd.o + nd.n && nd.n <= bestLen) { best = i; bestLen = nd.n; }
  });
  if (best >= 0) selectNode(best, false);
}
