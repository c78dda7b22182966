// The packet details tree (the tree of read -V) and the hex/ASCII pane,
// linked both ways: a line highlights its bytes, a byte selects the
// deepest line covering it.
import { $, el, api, b64, state, view } from './util.js';
import { writeURL } from './url.js';
import { render } from './list.js';
import { follow } from './follow.js';
import { showTab } from './tabs.js';

export async function selectFrame(n, fromList) {
  view.selected = n;
  state.frame = n;
  writeURL(false);
  render();
  const { status, body } = await api('frame', { n });
  if (view.selected !== n) return;
  const tree = $('tree'), hex = $('hex');
  tree.textContent = ''; hex.textContent = '';
  if (status !== 200) { tree.appendChild(el('div', 'error', body.error)); return; }
  view.detail = body;
  body.tree.forEach((nd, i) => {
    const d = el('div', nd.o < 0 ? 'gen' : '', nd.l);
    d.style.paddingLeft = (4 + nd.d * 16) + 'px';
    d.dataset.i = String(i);
    d.dataset.len = String(nd.n);
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

export function selectNode(i, fromTree) {
  const detail = view.detail;
  if (!detail) return;
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
  const detail = view.detail;
  if (!detail) return;
  let best = -1, bestLen = Infinity;
  detail.tree.forEach((nd, i) => {
    if (nd.o < 0 || Math.min(nd.s, detail.sources.length - 1) !== si) return;
    if (k >= nd.o && k < nd.o + nd.n && nd.n <= bestLen) { best = i; bestLen = nd.n; }
  });
  if (best >= 0) selectNode(best, false);
}
