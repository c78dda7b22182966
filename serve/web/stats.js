// The statistics tabs: JSON reports of the index rendered as tables.
import { $, el, api, state } from './util.js';
import { renderDiagnosis } from './diagnose.js';

export function renderValue(v) {
  if (Array.isArray(v)) {
    if (v.length && v.every((x) => x && typeof x === 'object' && !Array.isArray(x))) return renderTable(v);
    return el('span', '', v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join(', '));
  }
  if (v && typeof v === 'object') {
    const t = el('table');
    for (const k of Object.keys(v)) {
      const tr = el('tr');
      tr.appendChild(el('th', '', k));
      const td = el('td');
      td.appendChild(renderValue(v[k]));
      tr.appendChild(td);
      t.appendChild(tr);
    }
    return t;
  }
  return el('span', '', v === null ? '' : String(v));
}

export function renderTable(rows) {
  const keys = [];
  rows.forEach((r) => Object.keys(r).forEach((k) => { if (!keys.includes(k)) keys.push(k); }));
  const t = el('table'), hr = el('tr');
  keys.forEach((k) => hr.appendChild(el('th', '', k)));
  t.appendChild(hr);
  rows.slice(0, 5000).forEach((r) => {
    const tr = el('tr');
    keys.forEach((k) => {
      const td = el('td');
      if (r[k] !== undefined) td.appendChild(renderValue(r[k]));
      tr.appendChild(td);
    });
    t.appendChild(tr);
  });
  return t;
}

export async function showReport(name) {
  const box = $('report');
  box.textContent = 'Loading…';
  const { status, body } = await api('report', { name });
  if (state.tab !== name) return;
  box.textContent = '';
  if (status === 202) {
    box.textContent = 'Indexing… ' + body.indexed + ' frames so far';
    setTimeout(() => { if (state.tab === name) showReport(name); }, 1000);
    return;
  }
  if (status !== 200) { box.textContent = body.error; return; }
  if (name === 'diagnose') { renderDiagnosis(box, body); return; }
  box.appendChild(renderValue(body));
}
