// Shared helpers and state of the web app. Everything that comes from a
// capture is untrusted and reaches the page through textContent only.

export const ROW = 18, PAGE = 200;

export const $ = (id) => document.getElementById(id);

export function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = String(text);
  return e;
}

// state is what the URL holds (url.js reads and writes it).
// t is the time format (tshark -t), cols the user columns (field names),
// ref the time reference frames.
export const state = { c: 0, filter: '', frame: 0, tab: 'details', t: 'r', cols: [], ref: [] };

// view is the page's other shared state: the selected frame and its
// details, the time references' timestamps ({n, ts}).
export const view = { selected: 0, detail: null, refs: [] };

export async function api(path, params) {
  const q = new URLSearchParams(Object.assign({ c: state.c }, params || {}));
  const r = await fetch('/api/' + path + '?' + q.toString(), { credentials: 'same-origin' });
  const body = await r.json();
  return { status: r.status, body };
}

export function b64(s) {
  const bin = atob(s || '');
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
