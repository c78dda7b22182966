// The Time column in every format of tshark -t, and time references:
// with reference frames set, relative times count from the latest
// reference at or before each frame, and a reference frame shows *REF*.

export const formats = [
  ['r', 'Seconds since beginning of capture'],
  ['a', 'Time of day'],
  ['ad', 'Date and time of day'],
  ['adoy', 'Year, day of year, and time of day'],
  ['d', 'Seconds since previous captured packet'],
  ['dd', 'Seconds since previous displayed packet'],
  ['e', 'Seconds since epoch (1970-01-01)'],
  ['u', 'UTC time of day'],
  ['ud', 'UTC date and time of day'],
  ['udoy', 'UTC year, day of year, and time of day'],
];

// ns parses "sec.nnnnnnnnn" into nanoseconds (BigInt).
export function ns(ts) {
  const [s, f] = String(ts || '0').split('.');
  return BigInt(s) * 1000000000n + BigInt((f || '0').padEnd(9, '0').slice(0, 9));
}

// prec is the number of decimals of the times (the capture's timestamp
// precision when the server says it, as tshark prints them).
let prec = 6;
export function setPrecision(p) { if (p >= 0 && p <= 9) prec = p; }
export function precision() { return prec; }

// timeChars is how many characters the Time column needs in format fmt.
export function timeChars(fmt) {
  const frac = prec ? prec + 1 : 0;
  switch (fmt) {
    case 'a': case 'u': return 8 + frac;
    case 'ad': case 'ud': return 19 + frac;
    case 'adoy': case 'udoy': return 17 + frac;
    case 'e': return 10 + frac;
  }
  return 4 + frac;
}

const fracOf = (f) => (prec ? '.' + (f || '').padEnd(9, '0').slice(0, prec) : '');

// rel formats a nanosecond difference as seconds (truncated, as tshark).
export function rel(d) {
  let sign = '';
  if (d < 0n) { sign = '-'; d = -d; }
  const frac = (d % 1000000000n).toString().padStart(9, '0').slice(0, prec);
  return sign + (d / 1000000000n).toString() + (prec ? '.' + frac : '');
}

const p2 = (v) => String(v).padStart(2, '0');

function abs(ts, fmt) {
  const [s, f] = String(ts).split('.');
  const utc = fmt[0] === 'u';
  const t = new Date(Number(s) * 1000);
  const g = (local, u) => (utc ? t[u]() : t[local]());
  const clock = p2(g('getHours', 'getUTCHours')) + ':' + p2(g('getMinutes', 'getUTCMinutes')) + ':' +
    p2(g('getSeconds', 'getUTCSeconds')) + fracOf(f);
  const y = g('getFullYear', 'getUTCFullYear');
  if (fmt === 'a' || fmt === 'u') return clock;
  if (fmt === 'ad' || fmt === 'ud') return y + '-' + p2(g('getMonth', 'getUTCMonth') + 1) + '-' + p2(g('getDate', 'getUTCDate')) + ' ' + clock;
  const jan1 = utc ? Date.UTC(y, 0, 1) : new Date(y, 0, 1).getTime();
  const day = utc ? Date.UTC(y, t.getUTCMonth(), t.getUTCDate()) : new Date(y, t.getMonth(), t.getDate()).getTime();
  const doy = Math.round((day - jan1) / 86400000) + 1;
  return y + '/' + String(doy).padStart(3, '0') + ' ' + clock;
}

// timeText is the Time column of row d in format fmt; refs are the
// reference frames' numbers and timestamps ({n, ts}), sorted by number.
export function timeText(d, fmt, refs) {
  if (refs.some((r) => r.n === d.n)) return '*REF*';
  switch (fmt) {
    case 'd': return d.d;
    case 'dd': return d.dd;
    case 'e': { const [s, f] = String(d.ts).split('.'); return s + fracOf(f); }
    case 'a': case 'ad': case 'adoy': case 'u': case 'ud': case 'udoy': return abs(d.ts, fmt);
  }
  let ref = null;
  for (const r of refs) if (r.n <= d.n) ref = r;
  if (!ref) return d.t;
  return rel(ns(d.ts) - ns(ref.ts));
}
