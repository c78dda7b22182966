// The IO graph: frames, bytes or TCP retransmissions per interval, drawn
// on a canvas. Dragging over a time span or turning the wheel zooms:
// the server counts again over the narrower span with a finer interval.
// Clicking an interval goes to its first frame. The interval picker fixes
// the interval (Wireshark's 1 ms ... 10 min; Auto: about 100 intervals over
// the span shown); the server coarsens one that would give more than 2,000.
import { $, el, api, state } from './util.js';
import { writeURL } from './url.js';
import { goToFrame } from './list.js';

let data = null, span = null, drag = null, seq = 0;
const PAD = { l: 60, r: 12, t: 12, b: 28 };

export async function showIO() {
  const box = $('iograph');
  const z = /^([\d.]+),([\d.]+)$/.exec(state.io || '');
  span = z ? [parseFloat(z[1]), parseFloat(z[2])] : null;
  const q = { };
  if (span) { q.from = span[0].toFixed(9); q.to = span[1].toFixed(9); }
  $('iointerval').value = state.iv || '';
  if (state.iv) q.interval = state.iv;
  const s = ++seq;
  $('iostatus').textContent = 'Counting…';
  const { status, body } = await api('iograph', q);
  if (s !== seq || state.tab !== 'io') return;
  if (status !== 200) { $('iostatus').textContent = body.error; return; }
  data = body;
  const n = body.buckets.length;
  $('iostatus').textContent = n + ' intervals of ' + fmtInterval(body.interval) + ' from ' + body.from.toFixed(6) + ' s' +
    (span ? ' (zoomed; capture ' + body.span.toFixed(3) + ' s)' : '') +
    (state.iv && Math.abs(body.interval - parseFloat(state.iv)) > 1e-12 ? ' (' + fmtInterval(parseFloat(state.iv)) + ' gives too many intervals here)' : '');
  $('iostatus').dataset.interval = String(body.interval);
  box.dataset.buckets = String(n);
  box.dataset.frames = String(body.buckets.reduce((a, b) => a + b.frames, 0));
  draw();
}

function fmtInterval(s) {
  if (s >= 1) return s + ' s';
  if (s >= 1e-3) return Math.round(s * 1e3 * 1000) / 1000 + ' ms';
  return Math.round(s * 1e6 * 1000) / 1000 + ' µs';
}

function metric() { return $('iometric').value; }

function geometry() {
  const c = $('iocanvas');
  const w = c.clientWidth, h = c.clientHeight;
  return { c, w, h, pw: w - PAD.l - PAD.r, ph: h - PAD.t - PAD.b };
}

function draw() {
  const { c, w, h, pw, ph } = geometry();
  const dpr = window.devicePixelRatio || 1;
  c.width = w * dpr; c.height = h * dpr;
  const g = c.getContext('2d');
  g.scale(dpr, dpr);
  g.clearRect(0, 0, w, h);
  if (!data || !data.buckets.length) return;
  const m = metric(), bs = data.buckets;
  const val = (b) => (m === 'bytes' ? b.bytes : m === 'retrans' ? b.retrans : b.frames);
  const top = Math.max(1, ...bs.map(val));
  const bw = pw / bs.length;
  g.font = '11px system-ui, sans-serif';
  g.fillStyle = '#333';
  g.strokeStyle = '#bbb';
  // y axis: 0, half, top
  for (const f of [0, 0.5, 1]) {
    const y = PAD.t + ph - f * ph;
    g.beginPath(); g.moveTo(PAD.l, y); g.lineTo(PAD.l + pw, y); g.stroke();
    const v = Math.round(top * f);
    g.fillText(String(v), 4, y + 4);
  }
  g.fillText(m === 'bytes' ? 'bytes' : m === 'retrans' ? 'retrans.' : 'frames', 4, PAD.t + ph / 2 - 14);
  // x axis: 5 labels in seconds since the first frame
  for (let k = 0; k <= 5; k++) {
    const x = PAD.l + (pw * k) / 5;
    const t = data.from + (bs.length * data.interval * k) / 5;
    g.fillText(t.toFixed(data.interval < 0.001 ? 6 : 3) + ' s', Math.min(x - 14, w - 70), h - 8);
  }
  bs.forEach((b, i) => {
    const v = val(b);
    if (!v) return;
    const x = PAD.l + i * bw, bh = (v / top) * ph;
    g.fillStyle = m === 'retrans' ? '#c0392b' : '#2a5bd7';
    g.fillRect(x, PAD.t + ph - bh, Math.max(1, bw - (bw > 3 ? 1 : 0)), bh);
    if (m === 'frames' && b.retrans) { // retransmissions over the frames
      const rh = (b.retrans / top) * ph;
      g.fillStyle = '#c0392b';
      g.fillRect(x, PAD.t + ph - rh, Math.max(1, bw - (bw > 3 ? 1 : 0)), rh);
    }
  });
  if (drag && drag.x1 !== undefined) {
    g.fillStyle = 'rgba(42,91,215,0.2)';
    g.fillRect(Math.min(drag.x0, drag.x1), PAD.t, Math.abs(drag.x1 - drag.x0), ph);
  }
}

// timeAt is the capture time (s since the first frame) at canvas x.
function timeAt(x) {
  const { pw } = geometry();
  const f = Math.min(1, Math.max(0, (x - PAD.l) / pw));
  return data.from + f * data.buckets.length * data.interval;
}

export function zoomTo(from, to) {
  if (to - from < 1e-6) to = from + 1e-6;
  state.io = Math.max(0, from).toFixed(6) + ',' + to.toFixed(6);
  writeURL(false);
  showIO();
}

function bucketAt(x) {
  const { pw } = geometry();
  const i = Math.floor(((x - PAD.l) / pw) * data.buckets.length);
  return data.buckets[i];
}

export function initIO() {
  const c = $('iocanvas');
  $('iometric').addEventListener('change', draw);
  $('iointerval').addEventListener('change', () => { state.iv = $('iointerval').value; writeURL(false); showIO(); });
  $('ioreset').addEventListener('click', () => { state.io = ''; writeURL(false); showIO(); });
  c.addEventListener('mousedown', (e) => { if (data) drag = { x0: e.offsetX }; });
  c.addEventListener('mousemove', (e) => {
    if (!data) return;
    if (drag) { drag.x1 = e.offsetX; draw(); }
    const b = bucketAt(e.offsetX);
    c.title = b ? timeAt(e.offsetX).toFixed(6) + ' s: ' + b.frames + ' frames, ' + b.bytes + ' bytes, ' + b.retrans + ' retransmissions' : '';
  });
  window.addEventListener('mouseup', (e) => {
    if (!drag) return;
    const d = drag; drag = null;
    if (d.x1 !== undefined && Math.abs(d.x1 - d.x0) > 4) {
      zoomTo(timeAt(Math.min(d.x0, d.x1)), timeAt(Math.max(d.x0, d.x1)));
      return;
    }
    draw();
    if (e.target === c) { const b = bucketAt(d.x0); if (b && b.first) goToFrame(b.first); }
  });
  c.addEventListener('wheel', (e) => {
    if (!data) return;
    e.preventDefault();
    const t = timeAt(e.offsetX), lo = data.from, hi = data.from + data.buckets.length * data.interval;
    const f = e.deltaY < 0 ? 0.5 : 2;
    zoomTo(t - (t - lo) * f, t + (hi - t) * f);
  }, { passive: false });
  window.addEventListener('resize', () => { if (state.tab === 'io') draw(); });
}
