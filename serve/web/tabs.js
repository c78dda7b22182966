// The tabs under the packet list.
import { $, state } from './util.js';
import { writeURL } from './url.js';
import { showReport } from './stats.js';

export function showTab(name) {
  state.tab = name;
  writeURL(false);
  document.querySelectorAll('#tabs button').forEach((b) => b.classList.toggle('on', b.dataset.tab === name));
  $('details').hidden = name !== 'details';
  $('follow').hidden = name !== 'follow';
  $('report').hidden = name === 'details' || name === 'follow';
  if (name !== 'details' && name !== 'follow') showReport(name);
}

export function initTabs() {
  document.querySelectorAll('#tabs button').forEach((b) => b.addEventListener('click', () => showTab(b.dataset.tab)));
}
