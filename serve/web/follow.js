// Follow TCP/UDP stream.
import { $, el, api, b64, state, view } from './util.js';
import { applyFilter } from './filter.js';
import { selectFrame } from './detail.js';
import { showTab } from './tabs.js';

export async function follow(proto, stream) {
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
  if (state.filter !== body.filter) applyFilter(body.filter, view.selected);
  showTab('follow');
}
