// Follow TCP/UDP stream: the stream's data as ASCII, a hex dump or raw
// hex, each chunk coloured by direction; clicking a chunk selects its
// packet, and the list is filtered on the stream (as Wireshark does).
import { $, el, api, b64, state, view } from './util.js';
import { writeURL } from './url.js';
import { applyFilter } from './filter.js';
import { selectFrame } from './detail.js';
import { showTab } from './tabs.js';

let current = null; // {proto, stream, body}

const hex2 = (v) => v.toString(16).padStart(2, '0');

function asText(bytes, mode, off) {
  if (mode === 'raw') {
    let s = '';
    for (const v of bytes) s += hex2(v);
    return s + '\n';
  }
  if (mode === 'hex') {
    // Wireshark's hex dump: offset within the direction, 16 bytes, ASCII
    let s = '';
    for (let i = 0; i < bytes.length; i += 16) {
      let h = '', a = '';
      for (let j = 0; j < 16; j++) {
        if (i + j < bytes.length) {
          const v = bytes[i + j];
          h += hex2(v) + ' ';
          a += v >= 0x20 && v < 0x7f ? String.fromCharCode(v) : '.';
        } else h += '   ';
        if (j === 7) h += ' ';
      }
      s += (off + i).toString(16).padStart(8, '0') + '  ' + h + ' ' + a + '\n';
    }
    return s;
  }
  let s = '';
  for (const v of bytes) s += (v >= 0x20 && v < 0x7f) || v === 10 || v === 13 || v === 9 ? String.fromCharCode(v) : '.';
  return s;
}

function draw() {
  const text = $('followtext');
  text.textContent = '';
  if (!current) return;
  const mode = state.fmode || 'ascii';
  const off = [0, 0];
  const frames = new Set();
  for (const ch of current.body.chunks) {
    const bytes = b64(ch.data);
    const sp = el('span', 'n' + ch.node, asText(bytes, mode, off[ch.node] || 0));
    off[ch.node] = (off[ch.node] || 0) + bytes.length;
    sp.title = 'frame ' + ch.frame + ' (' + bytes.length + ' bytes)';
    sp.dataset.frame = String(ch.frame);
    if (ch.frame === view.selected) sp.classList.add('sel');
    sp.addEventListener('click', () => {
      text.querySelectorAll('span.sel').forEach((x) => x.classList.remove('sel'));
      sp.classList.add('sel');
      selectFrame(ch.frame, true);
    });
    text.appendChild(sp);
    frames.add(ch.frame);
  }
  text.dataset.mode = mode;
  $('followinfo').textContent = frames.size + ' packets with data; ' + off[0] + ' bytes ⇒ ' + off[1] + ' bytes ⇐';
}

export async function follow(proto, stream) {
  state.follow = proto + ':' + stream;
  showTab('follow');
  const head = $('followtitle');
  head.textContent = 'Following ' + proto.toUpperCase() + ' stream ' + stream + '…';
  current = null;
  draw();
  const { status, body } = await api('follow', { proto, stream });
  if (status !== 200) { head.textContent = body.error; return; }
  head.textContent = body.filter + ': ' + body.nodes[0] + ' ⇄ ' + body.nodes[1] + (body.truncated ? ' (truncated)' : '');
  head.dataset.filter = body.filter;
  current = { proto, stream, body };
  draw();
  // As Wireshark: following a stream filters the list on it.
  if (state.filter !== body.filter) applyFilter(body.filter, view.selected);
  showTab('follow');
}

// restoreFollow reopens the stream the URL names (follow=tcp:3).
export function restoreFollow() {
  const m = /^(tcp|udp):(\d+)$/.exec(state.follow || '');
  if (m) follow(m[1], parseInt(m[2], 10));
}

export function initFollow() {
  const sel = $('followmode');
  sel.value = state.fmode || 'ascii';
  sel.addEventListener('change', () => { state.fmode = sel.value; writeURL(false); draw(); });
}
