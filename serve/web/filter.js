// The display-filter bar: checked as you type (the error and its caret
// position from the server's filter check), applied with Enter.
import { $, api, state, view } from './util.js';
import { writeURL } from './url.js';
import { reload } from './list.js';
import { selectFrame } from './detail.js';

let input, checkTimer = 0, checkSeq = 0;

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

export function applyFilter(expr, frame) {
  state.filter = expr.trim();
  input.value = state.filter;
  if (frame !== undefined) state.frame = frame;
  writeURL(true);
  checkFilter();
  reload(state.frame);
  if (state.frame) selectFrame(state.frame, false);
}

export function setFilterText(expr) { input.value = expr; }

export function initFilter() {
  input = $('filter');
  input.addEventListener('input', () => {
    clearTimeout(checkTimer);
    checkTimer = setTimeout(checkFilter, 120);
  });
  input.addEventListener('keydown', (e) => { if (e.key === 'Enter') applyFilter(input.value, 0); });
  $('apply').addEventListener('click', () => applyFilter(input.value, 0));
  $('clear').addEventListener('click', () => { input.value = ''; applyFilter('', view.selected); });
}
