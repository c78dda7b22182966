// wirewatch serve: the web app's entry module (the page's only script
// element; the Content-Security-Policy allows no inline script).
import { $, el, api, state, view } from './util.js';
import { readURL, writeURL } from './url.js';
import { initList, reload, setColumns, loadRefs, toggleRef, render } from './list.js';
import { setPrecision } from './timefmt.js';
import { initFollow, restoreFollow } from './follow.js';
import { initIO } from './iograph.js';
import { initFilter, checkFilter, setFilterText } from './filter.js';
import { selectFrame, initDetail } from './detail.js';
import { initMenu } from './menu.js';
import { initTabs, showTab } from './tabs.js';
import { showReport } from './stats.js';

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
  const cur = body.find((c) => c.id === state.c) || body[0];
  if (cur && cur.precision !== undefined) { setPrecision(cur.precision); setColumns(); render(); }
}

function start() {
  readURL();
  initList();
  initFollow();
  initIO();
  initFilter();
  initTabs();
  initDetail();
  initMenu();
  $('capture').addEventListener('change', (e) => {
    state.c = parseInt(e.target.value, 10) || 0;
    state.frame = 0; view.selected = 0;
    writeURL(true);
    reload(0);
    if (state.tab !== 'details' && state.tab !== 'follow') showReport(state.tab);
  });
  window.addEventListener('popstate', () => {
    readURL(); setFilterText(state.filter); setColumns(); loadRefs(); reload(state.frame);
    if (state.frame) selectFrame(state.frame, false);
    showTab(state.tab);
  });
  // Wireshark's keys: Ctrl+T time reference, Ctrl+G go to frame, Ctrl+/ the filter bar
  document.addEventListener('keydown', (e) => {
    if (!e.ctrlKey || e.altKey || e.metaKey) return;
    if (e.key === 't' && view.selected) { e.preventDefault(); toggleRef(view.selected); selectFrame(view.selected, true); }
    if (e.key === 'g') { e.preventDefault(); $('goto').focus(); }
    if (e.key === '/') { e.preventDefault(); $('filter').focus(); }
  });
  setFilterText(state.filter);
  loadCaptures();
  if (state.tab === 'follow' && state.follow) restoreFollow();
  else showTab(state.tab === 'follow' ? 'details' : state.tab);
  checkFilter();
  reload(state.frame);
  if (state.frame) selectFrame(state.frame, false);
  else $('tree').appendChild(el('div', 'hint', 'Select a packet to see its details (the tree of read -V) and its bytes.'));
}

start();
