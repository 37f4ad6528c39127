/**
 * The string formats kube-openapi's default registry (strfmt.Default) knows. Only these are
 * checked; any other `format` (int32, int64, float, double, or an unknown name) is accepted as-is,
 * exactly as kube-apiserver does for custom resources.
 */
import { isIP, isIPv4, isIPv6 } from 'node:net';

type FormatCheck = (s: string) => boolean;

const uuid = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const uuid3 = /^[0-9a-f]{8}-?[0-9a-f]{4}-?3[0-9a-f]{3}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const uuid4 = /^[0-9a-f]{8}-?[0-9a-f]{4}-?4[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$/i;
const uuid5 = /^[0-9a-f]{8}-?[0-9a-f]{4}-?5[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$/i;
const hostnameRx =
  /^([a-zA-Z0-9\p{S}\p{L}]((-?[a-zA-Z0-9\p{S}\p{L}]{0,62})?)|([a-zA-Z0-9\p{S}\p{L}](([a-zA-Z0-9\-\p{S}\p{L}]{0,61}[a-zA-Z0-9\p{S}\p{L}])?)(\.)){1,}([a-zA-Z0-9\p{S}\p{L}])(-?[a-zA-Z0-9\p{S}\p{L}]){1,62})$/u;
const base64Rx = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$/;
const dateRx = /^(\d{4})-(\d{2})-(\d{2})$/;
const timeOfDayRx = /^([0-9]{2}):([0-9]{2}):([0-9]{2})(.[0-9]+)?(z|([+-][0-9]{2}:[0-9]{2}))$/;
const goDurationRx = /^[-+]?(\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))*$/;
const humanDurationRx = /(\d+)\s*([A-Za-zµ]+)/g;
const humanDurationUnits = new Set(['ns', 'us', 'µs', 'ms', 's', 'sec', 'm', 'min', 'h', 'hr', 'hour', 'hours', 'd', 'day', 'days', 'w', 'wk', 'week', 'weeks']);

function isDate(s: string): boolean {
  const m = dateRx.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/** strfmt.IsDateTime: a date, a 't', then hh:mm:ss[.frac](z|±hh:mm), case-insensitive. */
function isDateTime(s: string): boolean {
  if (s.length < 4) return false;
  const parts = s.toLowerCase().split('t');
  if (parts.length < 2 || !isDate(parts[0])) return false;
  const m = timeOfDayRx.exec(parts[1]);
  return m !== null && m[1] <= '23' && m[2] <= '59' && m[3] <= '59';
}

function isDuration(s: string): boolean {
  if (s === '0' || goDurationRx.test(s)) return true;
  const matches = [...s.matchAll(humanDurationRx)];
  return matches.length > 0 && matches.every((m) => humanDurationUnits.has(m[2]));
}

function isCIDR(s: string): boolean {
  const slash = s.indexOf('/');
  if (slash < 0) return false;
  const ip = s.slice(0, slash);
  const bits = s.slice(slash + 1);
  const family = isIP(ip);
  if (family === 0 || !/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}

function isMAC(s: string): boolean {
  return /^([0-9a-fA-F]{2}[:-]){5,19}[0-9a-fA-F]{2}$/.test(s) && [6, 8, 20].includes(s.split(/[:-]/).length)
    ? new Set(s.replace(/[0-9a-fA-F]/g, '')).size === 1
    : /^([0-9a-fA-F]{4}\.){2,9}[0-9a-fA-F]{4}$/.test(s) && [3, 4, 10].includes(s.split('.').length);
}

function isRequestURI(s: string): boolean {
  if (s.startsWith('/')) return true;
  try {
    new URL(s);
    return true;
  } catch {
    return false;
  }
}

function isISBN10(s: string): boolean {
  const d = s.replace(/[\s-]/g, '');
  if (!/^\d{9}[\dX]$/.test(d)) return false;
  let sum = 0;
  for (let i = 0; i < 10; i++) sum += (d[i] === 'X' ? 10 : Number(d[i])) * (10 - i);
  return sum % 11 === 0;
}

function isISBN13(s: string): boolean {
  const d = s.replace(/[\s-]/g, '');
  if (!/^\d{13}$/.test(d)) return false;
  let sum = 0;
  for (let i = 0; i < 13; i++) sum += Number(d[i]) * (i % 2 === 0 ? 1 : 3);
  return sum % 10 === 0;
}

function isCreditCard(s: string): boolean {
  const d = s.replace(/[\s-]/g, '');
  if (!/^\d{12,19}$/.test(d)) return false;
  let sum = 0;
  for (let i = 0; i < d.length; i++) {
    let n = Number(d[d.length - 1 - i]);
    if (i % 2 === 1) n = n * 2 > 9 ? n * 2 - 9 : n * 2;
    sum += n;
  }
  return sum % 10 === 0;
}

const byte255 = '(0|[1-9]\\d?|1\\d\\d|2[0-4]\\d|25[0-5])';
const rgbRx = new RegExp(`^rgb\\(\\s*${byte255}\\s*,\\s*${byte255}\\s*,\\s*${byte255}\\s*\\)$`);

const checks: Record<string, FormatCheck> = {
  uri: isRequestURI,
  email: (s) => /^[^@\s<>]+@[^@\s<>]+$/.test(s) || /^[^<>]*<[^@\s<>]+@[^@\s<>]+>$/.test(s),
  hostname: (s) => hostnameRx.test(s) && s.length <= 255 && s.split('.').every((p) => p.length <= 63),
  ipv4: (s) => isIPv4(s),
  ipv6: (s) => isIPv6(s),
  cidr: isCIDR,
  mac: isMAC,
  uuid: (s) => uuid.test(s),
  uuid3: (s) => uuid3.test(s),
  uuid4: (s) => uuid4.test(s),
  uuid5: (s) => uuid5.test(s),
  isbn: (s) => isISBN10(s) || isISBN13(s),
  isbn10: isISBN10,
  isbn13: isISBN13,
  creditcard: isCreditCard,
  ssn: (s) => /^\d{3}[- ]?\d{2}[- ]?\d{4}$/.test(s),
  hexcolor: (s) => /^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/.test(s),
  rgbcolor: (s) => rgbRx.test(s),
  byte: (s) => base64Rx.test(s),
  password: () => true,
  date: isDate,
  datetime: isDateTime,
  duration: isDuration,
  bsonobjectid: (s) => /^[0-9a-fA-F]{24}$/.test(s),
};

/** The registry normalises names by dropping dashes, so `date-time` and `datetime` are one format. */
function normalize(format: string): string {
  return format.replaceAll('-', '');
}

export function isKnownStringFormat(format: string): boolean {
  return Object.hasOwn(checks, normalize(format));
}

/** True when `s` satisfies the (known) format. */
export function matchesStringFormat(format: string, s: string): boolean {
  const check = checks[normalize(format)];
  return check ? check(s) : true;
}
