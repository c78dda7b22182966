// A context menu (right click), as Wireshark's on the packet list and the
// details tree: items are [label, action] pairs; null is a separator.
import { el } from './util.js';

let box = null;

export function closeMenu() { if (box) { box.remove(); box = null; } }

export function openMenu(x, y, items) {
  closeMenu();
  box = el('div', 'ctxmenu');
  box.id = 'ctxmenu';
  items.forEach((it) => {
    if (!it) { box.appendChild(el('div', 'sep')); return; }
    const d = el('div', 'item', it[0]);
    d.addEventListener('mousedown', (e) => e.preventDefault());
    d.addEventListener('click', () => { closeMenu(); it[1](); });
    box.appendChild(d);
  });
  document.body.appendChild(box);
  const r = box.getBoundingClientRect();
  box.style.left = Math.min(x, window.innerWidth - r.width - 4) + 'px';
  box.style.top = Math.min(y, window.innerHeight - r.height - 4) + 'px';
}

export function initMenu() {
  document.addEventListener('mousedown', (e) => { if (box && !box.contains(e.target)) closeMenu(); });
  document.addEventListener('keydown', (e) => { if (e.key === 'Escape') closeMenu(); });
  window.addEventListener('blur', closeMenu);
}
