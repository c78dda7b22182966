// The display-filter bar: checked as you type (the error and its caret
// position from the server's filter check), field and protocol names
// completed, applied filters kept in a history (this browser's
// localStorage), applied with Enter.
import { $, el, api, state, view } from './util.js';
import { writeURL } from './url.js';
import { reload } from './list.js';
import { selectFrame } from './detail.js';

let input, box, checkTimer = 0, checkSeq = 0, compSeq = 0;
let items = [], active = -1, replaceFrom = 0, replaceTo = 0;
const HISTORY = 'wirewatch.filters', MAXHIST = 30;

export async function checkFilter() {
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

export function history() {
  try { return JSON.parse(localStorage.getItem(HISTORY) || '[]').filter((s) => typeof s === 'string'); } catch (e) { return []; }
}

function remember(expr) {
  if (!expr) return;
  const h = [expr, ...history().filter((s) => s !== expr)].slice(0, MAXHIST);
  try { localStorage.setItem(HISTORY, JSON.stringify(h)); } catch (e) { /* private mode */ }
}

export function applyFilter(expr, frame) {
  closeSuggest();
  state.filter = expr.trim();
  input.value = state.filter;
  const expr2 = state.filter;
  if (expr2) api('check', { filter: expr2 }).then(({ body }) => { if (body.ok) remember(expr2); }); // valid filters only
  if (frame !== undefined) state.frame = frame;
  writeURL(true);
  checkFilter();
  reload(state.frame);
  if (state.frame) selectFrame(state.frame, false);
}

// prepareFilter puts expr in the bar without applying it (Wireshark's
// "Prepare as Filter"), combined with the text there by op ('', '&&', '||').
export function prepareFilter(expr, op) {
  const cur = input.value.trim();
  input.value = op && cur ? '(' + cur + ') ' + op + ' ' + expr : expr;
  input.focus();
  checkFilter();
}

export function setFilterText(expr) { input.value = expr; }

// ---- suggestions: completion and history share one drop-down ----

function showSuggest(list, kind) {
  items = list; active = -1;
  box.textContent = '';
  box.dataset.kind = kind;
  if (!list.length) { box.hidden = true; return; }
  list.forEach((it, i) => {
    const d = el('div', 'sugg');
    d.appendChild(el('span', 'name', it.name));
    if (it.desc) d.appendChild(el('span', 'desc', it.desc));
    d.dataset.i = String(i);
    d.addEventListener('mousedown', (e) => { e.preventDefault(); accept(i); });
    box.appendChild(d);
  });
  box.hidden = false;
}

function closeSuggest() { if (box) { box.hidden = true; items = []; active = -1; } }

function highlight(i) {
  active = i;
  box.querySelectorAll('.sugg').forEach((d, k) => d.classList.toggle('on', k === i));
  const d = box.querySelector('.sugg.on');
  if (d) d.scrollIntoView({ block: 'nearest' });
}

function accept(i) {
  const it = items[i];
  if (!it) return;
  if (box.dataset.kind === 'history') {
    closeSuggest();
    applyFilter(it.name, 0);
    return;
  }
  const v = input.value;
  input.value = v.slice(0, replaceFrom) + it.name + v.slice(replaceTo);
  const at = replaceFrom + it.name.length;
  input.setSelectionRange(at, at);
  closeSuggest();
  checkFilter();
}

// complete offers the field and protocol names starting with the word at the caret.
async function complete() {
  const v = input.value, at = input.selectionStart || 0;
  let from = at;
  while (from > 0 && /[A-Za-z0-9_.-]/.test(v[from - 1])) from--;
  const word = v.slice(from, at);
  if (!/^[A-Za-z][A-Za-z0-9_.-]*$/.test(word)) { closeSuggest(); return; }
  const seq = ++compSeq;
  const { body } = await api('fields', { prefix: word });
  if (seq !== compSeq || input.value !== v) return;
  replaceFrom = from; replaceTo = at;
  const list = body.filter((f) => f.name !== word);
  showSuggest(list, 'fields');
}

function showHistory() {
  showSuggest(history().map((s) => ({ name: s })), 'history');
}

export function initFilter() {
  input = $('filter');
  box = $('suggest');
  input.addEventListener('input', () => {
    clearTimeout(checkTimer);
    checkTimer = setTimeout(() => { checkFilter(); complete(); }, 120);
  });
  input.addEventListener('keydown', (e) => {
    const open = !box.hidden && items.length;
    if (e.key === 'ArrowDown' && !open && !input.value) { showHistory(); e.preventDefault(); return; }
    if (open && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
      e.preventDefault();
      highlight((active + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length);
      return;
    }
    if (open && e.key === 'Tab') { e.preventDefault(); accept(active >= 0 ? active : 0); return; }
    if (open && e.key === 'Enter' && active >= 0) { e.preventDefault(); accept(active); return; }
    if (e.key === 'Escape') { closeSuggest(); return; }
    if (e.key === 'Enter') applyFilter(input.value, 0);
  });
  input.addEventListener('blur', () => setTimeout(closeSuggest, 150));
  $('histbtn').addEventListener('mousedown', (e) => e.preventDefault()); // keep the input focused
  $('histbtn').addEventListener('click', () => { if (box.hidden) { input.focus(); showHistory(); } else closeSuggest(); });
  $('apply').addEventListener('click', () => applyFilter(input.value, 0));
  $('clear').addEventListener('click', () => { input.value = ''; applyFilter('', view.selected); });
}
