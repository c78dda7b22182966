// The URL reflects the view, so a view can be reloaded, bookmarked and shared.
import { state } from './util.js';

export function readURL() {
  const q = new URLSearchParams(location.search);
  state.c = parseInt(q.get('c') || '0', 10) || 0;
  state.filter = q.get('filter') || '';
  state.frame = parseInt(q.get('frame') || '0', 10) || 0;
  state.tab = q.get('tab') || 'details';
}

export function writeURL(push) {
  const q = new URLSearchParams();
  if (state.c) q.set('c', state.c);
  if (state.filter) q.set('filter', state.filter);
  if (state.frame) q.set('frame', state.frame);
  if (state.tab && state.tab !== 'details') q.set('tab', state.tab);
  const s = q.toString();
  const url = location.pathname + (s ? '?' + s : '');
  if (push) history.pushState(null, '', url); else history.replaceState(null, '', url);
}
