// The tabs under the packet list.
import { $, state } from './util.js';
import { writeURL } from './url.js';
import { showReport } from './stats.js';
import { showIO } from './iograph.js';

const own = ['details', 'follow', 'io']; // tabs with their own section; the others are reports

export function showTab(name) {
  state.tab = name;
  writeURL(false);
  document.querySelectorAll('#tabs button').forEach((b) => b.classList.toggle('on', b.dataset.tab === name));
  for (const t of own) $(t).hidden = name !== t;
  $('report').hidden = own.includes(name);
  if (name === 'io') showIO();
  else if (!own.includes(name)) showReport(name);
}

export function initTabs() {
  document.querySelectorAll('#tabs button').forEach((b) => b.addEventListener('click', () => showTab(b.dataset.tab)));
}
