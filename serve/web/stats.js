// The statistics tabs: JSON reports of the index rendered as tables.
import { $, el, api, state } from './util.js';
import { renderDiagnosis } from './diagnose.js';
import { applyFilter } from './filter.js';
import { follow } from './follow.js';

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
  const r = renderers[name];
  box.appendChild(r ? r(body) : renderValue(body));
  if (kinds[name]) kindSwitch(box, name, body);
}

// ---- the statistics tables as Wireshark shows them; a row applies its filter ----

// kinds are the reports of one tab by address kind (Wireshark's dialog
// tabs); those the server answers are offered as a switch above the table.
const kinds = { conv: ['conv', 'conv_udp', 'conv_ip', 'conv_eth'], endpoints: ['endpoints', 'endpoints_tcp', 'endpoints_udp', 'endpoints_eth'] };

async function kindSwitch(box, tab, first) {
  const got = await Promise.all(kinds[tab].map((n) => (n === tab ? Promise.resolve({ status: 200, body: first }) : api('report', { name: n }))));
  if (state.tab !== tab) return;
  const avail = kinds[tab].map((n, i) => [n, got[i]]).filter(([, r]) => r.status === 200);
  if (avail.length < 2) return;
  const bar = el('div', 'kinds');
  avail.forEach(([n, r]) => {
    const b = el('button', n === tab ? 'on' : '', String(r.body.kind || n).toUpperCase());
    b.type = 'button';
    b.dataset.report = n;
    b.addEventListener('click', () => {
      bar.querySelectorAll('button').forEach((x) => x.classList.toggle('on', x === b));
      const old = box.querySelector('.kindtable');
      const t = renderers[tab](r.body);
      t.classList.add('kindtable');
      old.replaceWith(t);
    });
    bar.appendChild(b);
  });
  const t = box.lastChild;
  t.classList.add('kindtable');
  box.insertBefore(bar, t);
}


// splitEP splits "addr:port" ("[v6]:port" or "v6:port") into [addr, port].
function splitEP(ep) {
  const m = /^\[?(.*?)\]?:(\d+)$/.exec(String(ep));
  return m ? [m[1], m[2]] : [String(ep), ''];
}

// addrField is the address field of a kind of address.
function addrField(kind, a) {
  if (kind === 'eth') return 'eth.addr';
  return a.includes(':') ? 'ipv6.addr' : 'ip.addr';
}

const pct = (a, b) => (b ? (100 * a / b).toFixed(1) : '0.0');

// sortable renders rows as a table whose headers sort it; each column is
// [title, value(row), numeric]; act(row) gives the row's filter and extra buttons.
function sortable(rows, cols, act) {
  const t = el('table', 'stats');
  const hr = el('tr');
  let order = { k: -1, desc: false };
  const body = el('tbody');
  const fill = () => {
    body.textContent = '';
    const rs = rows.slice();
    if (order.k >= 0) {
      const [, v, num] = cols[order.k];
      rs.sort((a, b) => { const x = v(a), y = v(b); const c = num ? x - y : String(x).localeCompare(String(y)); return order.desc ? -c : c; });
    }
    rs.slice(0, 5000).forEach((r) => {
      const tr = el('tr');
      cols.forEach(([, v, num]) => tr.appendChild(el('td', num ? 'num' : '', v(r))));
      const a = act && act(r);
      if (a) {
        tr.classList.add('act');
        tr.title = 'Apply as filter: ' + a.filter;
        tr.dataset.filter = a.filter;
        tr.addEventListener('click', () => applyFilter(a.filter, 0));
        const td = el('td', 'acts');
        (a.buttons || []).forEach(([text, fn]) => {
          const b = el('button', '', text);
          b.type = 'button';
          b.addEventListener('click', (e) => { e.stopPropagation(); fn(); });
          td.appendChild(b);
        });
        tr.appendChild(td);
      }
      body.appendChild(tr);
    });
  };
  cols.forEach(([title, , num], k) => {
    const th = el('th', num ? 'num' : '', title);
    th.addEventListener('click', () => { order = { k, desc: order.k === k ? !order.desc : !!num }; fill(); });
    hr.appendChild(th);
  });
  if (act) hr.appendChild(el('th'));
  const head = el('thead');
  head.appendChild(hr);
  t.appendChild(head);
  t.appendChild(body);
  fill();
  return t;
}

function section(title, content, note) {
  const d = el('div');
  d.appendChild(el('h4', '', title));
  if (note) d.appendChild(el('div', 'muted', note));
  d.appendChild(content);
  return d;
}

const renderers = {
  conv(b) {
    const rows = b.conversations || [];
    const kind = b.kind || 'tcp', ported = kind === 'tcp' || kind === 'udp';
    return section(kind.toUpperCase() + ' conversations: ' + rows.length, sortable(rows, [
      ['Address A', (r) => (ported ? splitEP(r.a)[0] : r.a)], ['Port A', (r) => splitEP(r.a)[1]],
      ['Address B', (r) => (ported ? splitEP(r.b)[0] : r.b)], ['Port B', (r) => splitEP(r.b)[1]],
      ['Packets', (r) => r.frames_ab + r.frames_ba, true], ['Bytes', (r) => r.bytes_ab + r.bytes_ba, true],
      ['Stream ID', (r) => (r.stream === undefined ? '' : r.stream), true],
      ['Packets A → B', (r) => r.frames_ab, true], ['Bytes A → B', (r) => r.bytes_ab, true],
      ['Packets B → A', (r) => r.frames_ba, true], ['Bytes B → A', (r) => r.bytes_ba, true],
      ['Rel Start', (r) => Number(r.start || 0).toFixed(6), true], ['Duration', (r) => Number(r.duration || 0).toFixed(4), true],
      ['State', (r) => r.conn_state || ''],
    ].filter((c) => ported || !c[0].startsWith('Port')), (r) => {
      if (ported && r.stream !== undefined && r.stream >= 0) {
        return { filter: kind + '.stream eq ' + r.stream, buttons: [['Follow', () => follow(kind, r.stream)]] };
      }
      const [a, pa] = ported ? splitEP(r.a) : [String(r.a), ''], [bb, pb] = ported ? splitEP(r.b) : [String(r.b), ''];
      const f = addrField(kind, a);
      if (!ported) return { filter: f + '==' + a + ' && ' + f + '==' + bb };
      return { filter: f + '==' + a + ' && ' + kind + '.port==' + pa + ' && ' + f + '==' + bb + ' && ' + kind + '.port==' + pb };
    }), 'Click a row to filter on it; click a header to sort.');
  },
  endpoints(b) {
    const rows = b.endpoints || [];
    const hasName = rows.some((r) => r.name);
    const cols = [['Address', (r) => r.address]];
    if (rows.some((r) => r.port !== undefined)) cols.push(['Port', (r) => (r.port === undefined ? '' : r.port), true]);
    if (hasName) cols.push(['Name', (r) => r.name || '']);
    cols.push(['Packets', (r) => r.frames, true], ['Bytes', (r) => r.bytes, true],
      ['Tx Packets', (r) => r.tx_frames, true], ['Tx Bytes', (r) => r.tx_bytes, true],
      ['Rx Packets', (r) => r.rx_frames, true], ['Rx Bytes', (r) => r.rx_bytes, true]);
    const kind = b.kind || 'ip';
    return section(kind.toUpperCase() + ' endpoints: ' + rows.length, sortable(rows, cols, (r) => {
      if (kind === 'tcp' || kind === 'udp') {
        const [a, p] = r.port !== undefined ? [String(r.address), String(r.port)] : splitEP(r.address);
        return { filter: addrField('ip', a) + '==' + a + ' && ' + kind + '.port==' + p };
      }
      return { filter: addrField(kind, String(r.address)) + '==' + r.address };
    }),
    'Click a row to filter on it; click a header to sort.');
  },
  expert(b) {
    const rows = b.items || [];
    const cap = (s) => String(s || '').charAt(0).toUpperCase() + String(s || '').slice(1);
    return section('Expert information: ' + rows.length + ' kinds', sortable(rows, [
      ['Severity', (r) => cap(r.severity)], ['Summary', (r) => r.summary], ['Group', (r) => r.group],
      ['Protocol', (r) => r.protocol], ['Count', (r) => r.count, true],
    ], (r) => ({ filter: '_ws.expert.severity == "' + cap(r.severity) + '" && _ws.expert.group == "' + r.group + '"' +
      (r.protocol ? ' && ' + String(r.protocol).toLowerCase() : '') })), 'Click a row to filter on its severity, group and protocol.');
  },
  hierarchy(b) {
    const rows = [];
    const walk = (n, depth) => { rows.push({ n, depth }); (n.children || []).forEach((c) => walk(c, depth + 1)); };
    walk(b, 0);
    const t = el('table', 'stats');
    const hr = el('tr');
    ['Protocol', '% Packets', 'Packets', '% Bytes', 'Bytes'].forEach((h, i) => hr.appendChild(el('th', i ? 'num' : '', h)));
    t.appendChild(hr);
    rows.forEach(({ n, depth }) => {
      const tr = el('tr', 'act');
      const td = el('td', '', n.protocol);
      td.style.paddingLeft = (6 + depth * 14) + 'px';
      tr.appendChild(td);
      [pct(n.frames, b.frames), n.frames, pct(n.bytes, b.bytes), n.bytes].forEach((v) => tr.appendChild(el('td', 'num', v)));
      tr.title = 'Apply as filter: ' + n.protocol;
      tr.dataset.filter = n.protocol;
      tr.addEventListener('click', () => applyFilter(n.protocol, 0));
      t.appendChild(tr);
    });
    return section('Protocol hierarchy', t, 'Click a protocol to filter on it.');
  },
};
