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
