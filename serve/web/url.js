// The URL reflects the view, so a view can be reloaded, bookmarked and
// shared: ?c=capture&filter=&frame=&tab=&t=time format&cols=a,b&ref=1,5&follow=tcp:3&fmode=hex&io=from,to (I/O graph zoom, s)&iv=interval (I/O graph, s)
import { state } from './util.js';

const list = (v) => (v || '').split(',').map((s) => s.trim()).filter((s) => s);

export function readURL() {
  const q = new URLSearchParams(location.search);
  state.c = parseInt(q.get('c') || '0', 10) || 0;
  state.filter = q.get('filter') || '';
  state.frame = parseInt(q.get('frame') || '0', 10) || 0;
  state.tab = q.get('tab') || 'details';
  state.t = q.get('t') || 'r';
  state.cols = list(q.get('cols'));
  state.follow = q.get('follow') || '';
  state.io = q.get('io') || '';
  state.iv = /^[\d.]+$/.test(q.get('iv') || '') ? q.get('iv') : '';
  state.fmode = q.get('fmode') || 'ascii';
  state.ref = list(q.get('ref')).map((v) => parseInt(v, 10)).filter((n) => n > 0).sort((a, b) => a - b);
}

export function writeURL(push) {
  const q = new URLSearchParams();
  if (state.c) q.set('c', state.c);
  if (state.filter) q.set('filter', state.filter);
  if (state.frame) q.set('frame', state.frame);
  if (state.tab && state.tab !== 'details') q.set('tab', state.tab);
  if (state.t && state.t !== 'r') q.set('t', state.t);
  if (state.cols.length) q.set('cols', state.cols.join(','));
  if (state.follow && state.tab === 'follow') q.set('follow', state.follow);
  if (state.io && state.tab === 'io') q.set('io', state.io);
  if (state.iv && state.tab === 'io') q.set('iv', state.iv);
  if (state.fmode && state.fmode !== 'ascii') q.set('fmode', state.fmode);
  if (state.ref.length) q.set('ref', state.ref.join(','));
  const s = q.toString();
  const url = location.pathname + (s ? '?' + s : '');
  if (push) history.pushState(null, '', url); else history.replaceState(null, '', url);
}
