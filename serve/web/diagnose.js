// The diagnose tab: the findings; a stall, an attempt or an evidence frame
// shows those packets in the list with the finding's display filter.
import { el } from './util.js';
import { applyFilter } from './filter.js';

function frameLink(n, flt) {
  const a = el('a', 'frame', n);
  a.dataset.frame = String(n);
  a.addEventListener('click', () => { applyFilter(flt || '', n); });
  return a;
}

// timeline draws a finding's stalls on the capture's time axis, one lane
// per connection: the stall (waiting) and the culprit attempt under it.
// Clicking either shows its packets with the finding's filter.
function timeline(f, cap) {
  const t0 = cap.first_epoch, t1 = Math.max(cap.last_epoch, t0 + 1e-6);
  const pct = (t) => (Math.min(Math.max((t - t0) / (t1 - t0), 0), 1) * 100);
  const box = el('div', 'timeline');
  const legend = el('div', 'legend');
  for (const [cls, text] of [['stallbar wait-client', 'client waiting (stall)'], ['stallbar wait-server', 'waiting on the server'], ['attemptbar', 'culprit attempt']]) {
    const s = el('span');
    s.appendChild(el('span', 'sw ' + cls));
    s.appendChild(document.createTextNode(text));
    legend.appendChild(s);
  }
  box.appendChild(legend);
  const axis = el('div', 'axis');
  for (let k = 0; k <= 4; k++) {
    const tick = el('span', 'tick', ((t1 - t0) * k / 4).toFixed(3) + ' s');
    tick.style.left = (k * 25) + '%';
    axis.appendChild(tick);
  }
  const lanes = new Map();
  (f.stalls || []).slice(0, 100).forEach((s, si) => {
    const key = s.client + ' → ' + s.server;
    if (!lanes.has(key)) {
      const lane = el('div', 'lane');
      lane.appendChild(el('span', 'lanelabel', key));
      const track = el('div', 'track');
      lane.appendChild(track);
      lanes.set(key, track);
      box.appendChild(lane);
    }
    const track = lanes.get(key);
    const bar = el('a', 'bar stallbar wait-' + (s.waiting_on || 'x'));
    bar.style.left = pct(s.start_epoch) + '%';
    bar.style.width = Math.max(0.4, pct(s.start_epoch + s.duration_s) - pct(s.start_epoch)) + '%';
    bar.title = 'stall ' + (si + 1) + ': ' + s.duration_s.toFixed(3) + ' s waiting on ' + s.waiting_on + (s.what ? ' (' + s.what + ')' : '') +
      ', frames ' + s.start_frame + '–' + s.end_frame;
    bar.dataset.frame = String(s.start_frame);
    bar.addEventListener('click', () => applyFilter(f.display_filter || '', s.start_frame));
    track.appendChild(bar);
    const a = s.culprit_attempt;
    if (a && a.start_epoch) {
      const ab = el('a', 'bar attemptbar');
      const end = a.frames && a.frames.length ? s.start_epoch + s.duration_s : a.start_epoch;
      ab.style.left = pct(a.start_epoch) + '%';
      ab.style.width = Math.max(0.4, pct(end) - pct(a.start_epoch)) + '%';
      ab.title = a.kind + ' ' + a.server + ' ' + (a.outcome || '') + ', frames ' + (a.frames || []).join(' ');
      ab.dataset.frame = String((a.frames || [s.start_frame])[0]);
      ab.addEventListener('click', () => applyFilter(f.display_filter || '', (a.frames || [s.start_frame])[0]));
      track.appendChild(ab);
    }
  });
  box.appendChild(axis);
  return box;
}

export function renderDiagnosis(box, d) {
  box.appendChild(el('div', 'muted', (d.capture ? d.capture.frames + ' frames; ' : '') + d.findings.length + ' finding(s)'));
  if (!d.findings.length) box.appendChild(el('p', '', 'No findings: nothing in this capture explains a slowdown.'));
  d.findings.forEach((f, fi) => {
    const div = el('div', 'finding sev-' + f.severity);
    div.dataset.i = String(fi);
    div.appendChild(el('h3', '', '[' + f.severity + '] ' + f.title));
    div.appendChild(el('p', '', f.explanation));
    if (f.basis) div.appendChild(el('p', 'muted', 'Confidence ' + Math.round((f.confidence || 0) * 100) + '%: ' + f.basis));
    if (f.display_filter) {
      const p = el('p');
      const a = el('a', 'applyfilter', 'Show these packets: ' + f.display_filter);
      a.addEventListener('click', () => applyFilter(f.display_filter, (f.evidence_frames || [])[0] || 0));
      p.appendChild(a);
      div.appendChild(p);
    }
    if (f.stalls && f.stalls.length && d.capture) div.appendChild(timeline(f, d.capture));
    if (f.evidence_frames && f.evidence_frames.length) {
      const p = el('p', 'frames');
      p.appendChild(el('span', '', 'Evidence frames: '));
      f.evidence_frames.slice(0, 200).forEach((n) => p.appendChild(frameLink(n, f.display_filter)));
      div.appendChild(p);
    }
    if (f.stalls && f.stalls.length) {
      const t = el('table'), hr = el('tr');
      ['start', 'end', 'duration_s', 'client', 'server', 'waiting_on', 'what', 'culprit attempt'].forEach((k) => hr.appendChild(el('th', '', k)));
      t.appendChild(hr);
      f.stalls.slice(0, 100).forEach((s) => {
        const tr = el('tr', 'stall');
        const c1 = el('td'); c1.appendChild(frameLink(s.start_frame, f.display_filter)); tr.appendChild(c1);
        const c2 = el('td'); c2.appendChild(frameLink(s.end_frame, f.display_filter)); tr.appendChild(c2);
        [s.duration_s, s.client, s.server, s.waiting_on, s.what].forEach((v) => tr.appendChild(el('td', '', v === undefined ? '' : v)));
        const c3 = el('td');
        if (s.culprit_attempt) {
          c3.appendChild(el('span', '', s.culprit_attempt.kind + ' ' + s.culprit_attempt.server + ' ' + (s.culprit_attempt.outcome || '') + ' '));
          (s.culprit_attempt.frames || []).forEach((n) => { c3.appendChild(frameLink(n, f.display_filter)); c3.appendChild(document.createTextNode(' ')); });
        }
        tr.appendChild(c3);
        t.appendChild(tr);
      });
      div.appendChild(t);
    }
    box.appendChild(div);
  });
}
